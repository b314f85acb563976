//! The generic end-matter rules: closing paragraphs about the article rather
//! than part of it (contacts, credits, stamps, source notes, tags, rights,
//! author bios) and sign-up pitches. Applied by [`super::super::endmatter`].

/// End matter: short closing paragraphs that are about the article rather
/// than part of it. They are trimmed from the end of the body only, one after
/// the other while they match (regular expressions, case-insensitive).
pub const END_MATTER: &[(&str, &[&str])] = &[
    // How to reach the author: "Contact Jane at jane@paper.com", "Follow her on X".
    (
        "contact",
        &[
            r"\b[\w.+-]+@[\w-]+\.[\w.]+\b",
            r"\b(can|may) be reached\b",
            r"^\W*contact\b",
            r"\bfollow (him|her|them|us|me)\b.{0,30}\b(on|at)\b",
            r"^\W*follow\s+(us|him|her|them|me|the|our|@\w+|\w+['’]s)\b",
            r"^\W*reach the (reporter|author|writer)s?\b",
            r"^\W*follow\b.{0,60}\bon (twitter|x|instagram|facebook|linkedin|threads|bluesky|tiktok|mastodon)\b",
            r"^\W*for more information\b.{0,40}https?://",
        ],
    ),
    // Who else worked on it: "Jane Doe contributed to this report."
    (
        "credits",
        &[
            r"\bcontributed (to )?(this|the) (report|story|article)\b",
            r"\bcontributed reporting\b",
            r"^\W*reporting by\b",
            r"\bediting by\b",
            r"\bincludes information from\b",
            r"\badditional reporting\b",
            r"^\W*contributing:",
            r"^\W*with (additional )?reporting (by|from)\b",
            r"\b(was|were) produced by\b",
            r"\bfact[- ]checked by\b",
            r"^\W*(stats|statistics|data|photos?|images?) (courtesy|provided) (of|by)\b",
            r"^\W*(interview|story|video|episode|segment|audio|podcast)\b.{0,40}\bproduced by\b",
            r"^\W*provided by\b",
            r"\b(copy|code|unit|sample)\b.{0,40}\b(provided|supplied|sourced)\b.{0,30}\breview\b",
        ],
    ),
    // Publication stamps: "This story was originally published December 22, 2023."
    (
        "stamps",
        &[
            r"\boriginally published,? (on )?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|\d)",
            r"^\W*this (story|article) (was|has been) (updated|corrected)\b",
            r"^\W*updated to (add|include|reflect|correct|clarify)\b",
            r"\bheadline (was|has been) (updated|changed|corrected)\b",
            r"^\W*originally published as\b",
            r"\b(originally|first) (appeared|ran) (on|in)\b",
            r"^\W*first reviewed\b",
            r"^\W*\*?\s*(some )?(names|details|names and details) (have been|were|are) changed\b",
            r"\b(edited|condensed)( and (edited|condensed))? for (length and |space and )?clarity\b",
        ],
    ),
    // Source notes of science news: "More information: Jane Doe et al, Title, Journal (2023). DOI: …".
    (
        "references",
        &[
            r"^\W*(more information|journal information|journal reference|references?)\s*:",
            r"\bdoi:\s*10\.\d",
            r"^\W*(source|sources)\s*:",
        ],
    ),
    // Comment-policy notes: "Comments on this piece are premoderated to ensure …".
    (
        "comment-policy",
        &[
            r"^\W*comments (on|for|to|under) this (piece|article|story|post) (are|is|will be)\b",
            r"^\W*comments are (pre-?)?moderated\b",
            r"^\W*(comments|commenting) (are|is|has been|have been) (now )?(closed|disabled|turned off)\b",
        ],
    ),
    // Tag and topic lists.
    (
        "tags",
        &[r"^\W*(tags|topics|filed under|related topics|read related topics)\s*:"],
    ),
    // Rights lines.
    (
        "rights",
        &[r"\ball rights reserved\b", r"©", r"^\W*copyright\b"],
    ),
    // Sign-up pitches.
    (
        "promos",
        &[
            r"\bsign up\b",
            r"\bsubscribe\b",
            r"\bnewsletter\b",
            r"^\W*listen (to|on)\b.{0,60}\b(spotify|apple podcasts|podcasts?)\b",
            r"^\W*(click here|read) (for )?the latest\b",
            r"\bshare this (article|story|post)\b",
        ],
    ),
];

/// Notes set above the story about the page rather than part of it: a live
/// blog's end, where the story first ran, an editor's update note, a
/// newsletter it was featured in, an audio-app plug. They are trimmed from the
/// start of the body only, like end matter from its end (case-insensitive).
pub const LEAD_NOTES: &[&str] = &[
    r"^\W*this live ?blog (has ended|is (now )?(closed|over)|is no longer (being )?updated)\b",
    r"\b(originally|first) (appeared|ran|was published) (on|in)\b",
    r"^\W*editor['’]?s note\b.{0,60}\b(updated|originally|first (appeared|published)|corrected)\b",
    r"^\W*this (article|story|piece) (was|is) (featured|included) in\b.{0,60}\bnewsletter\b",
    r"^\W*enjoy more audio\b",
];

/// A closing author bio ("Jane Doe is a senior reporter at …"): a capitalised
/// name, then a job in journalism. Case-sensitive, trimmed like end matter.
pub const END_BIO: &str = r"^[A-Z][\w.'’-]+( [A-Z][\w.'’-]+){1,3} (is|was) ((a|an|the) )?.{0,80}\b(?i:writer|reporter|editor|correspondent|journalist|contributor|columnist|analyst)s?\b";

/// Sign-up pitches, dropped wherever they sit in the body: a short paragraph
/// that opens with a call to action (case-insensitive) …
pub const PITCH_OPENER: &str = r"^\W*(sign up|subscribe|click here to (subscribe|sign up)|get (all )?(the|our) (latest|best)|want (more|great)|don't miss|join (our|the)|enter your email|like what you're reading|never miss)\b";
/// … and names what it sells.
pub const PITCH_TOPIC: &str = r"\b(newsletters?|inbox|sign up|subscribe|subscription|email)\b";

/// Affiliate disclosures, dropped wherever they sit in the body: a short
/// paragraph in which the publisher says it earns from the links
/// (case-insensitive).
pub const DISCLOSURE: &str = r"\b(we|i)( may| might| will| could| can)?( also)? (earn|receive|get|make)\b.{0,40}\b(commissions?|affiliate|fees?|share of|compensation|revenue)\b|\b(this|our) (post|article|page|story|content|site) (may )?(contains?|includes?) affiliate\b|\bindependently selected by our editors\b";
