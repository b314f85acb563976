//! The generic rules: every boilerplate list gleaner applies to every page,
//! profiled or not, in one place, grouped by purpose.
//!
//! Selectors here remove elements *inside* the chosen body (matched through
//! [`super::boilerplate`]); phrases drop a block that starts with them (and,
//! for a section title, the rest of its section; for a prompt, only when
//! links make up the rest of the block). Keep each list commented with what it catches. Site-specific
//! rules belong in `site-profiles/`, never here: no rule names a site.

use scraper::Selector;

mod end_matter;
pub use end_matter::{DISCLOSURE, END_BIO, END_MATTER, LEAD_NOTES, PITCH_OPENER, PITCH_TOPIC};

/// Elements that never hold article text. (`<form>` is not one: ASP.NET sites
/// wrap the whole page in a form; comment and search forms are caught by
/// selectors below.)
pub const NON_CONTENT_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "iframe", "button", "input", "select",
    "textarea", "label", "object", "embed", "canvas", "video", "audio", "map", "head", "nav",
    "dialog", "menu",
];

/// Markup that declares the article body, in order of trust: the
/// `itemprop=articleBody` microdata, then the content classes of common CMS
/// themes. One is used when exactly one element carries it and holds enough text.
pub const DECLARED_BODY_ITEMPROP: &str = "articleBody";
pub const DECLARED_BODY_CLASSES: &[&str] = &[
    "entry-content",
    "post-content",
    "article-body",
    "article-content",
    "story-body",
    "gh-content",
    "field--name-body",
    "post-body",
    "td-post-content",
    "c-article-body",
];

/// Class or id fragments that make a container more likely to be the body.
pub const POSITIVE_HINTS: &[&str] = &[
    "article", "body", "content", "entry", "main", "page", "post", "text", "blog", "story",
];

/// Class or id fragments that make a container less likely to be the body.
pub const NEGATIVE_HINTS: &[&str] = &[
    "comment",
    "footer",
    "sidebar",
    "related",
    "share",
    "widget",
    "advert",
    "promo",
    "menu",
    "nav",
    "header",
    "banner",
    "cookie",
    "newsletter",
    "subscribe",
    "social",
    "meta",
    "popup",
    "caption",
    "credit",
    "forum",
    "message",
    "reply",
    "signup",
    "outbrain",
    "taboola",
    "disqus",
    "pagination",
    "sponsor",
    "breadcrumb",
    "community",
    "replies",
    "skyscraper",
    "agegate",
];

/// Class or id fragments that lower a container's score without making it
/// unlikely: a gallery is sometimes the article (slide-by-slide stories),
/// so its paragraphs still vote and it is not pruned.
pub const WEAK_NEGATIVE_HINTS: &[&str] = &["gallery"];

/// Class or id fragments of an article's summary box ("Key Points",
/// "Takeaways"): a sibling of the body so marked, and not a list of links,
/// is part of the article.
pub const SUMMARY_HINTS: &[&str] = &[
    "keypoints",
    "key-points",
    "key_points",
    "takeaways",
    "highlights",
    "tldr",
];

/// Boilerplate selectors, grouped by purpose: (group, selectors).
pub const BOILERPLATE: &[(&str, &[&str])] = &[
    // "Home » News » Title" trails.
    (
        "breadcrumbs",
        &[
            ".breadcrumb",
            ".breadcrumbs",
            "#breadcrumbs",
            "#breadcrumb",
            ".td-crumb-container",
            ".entry-crumbs",
            ".ast-breadcrumbs",
            ".rank-math-breadcrumb",
            ".yoast-breadcrumb",
            "[aria-label=breadcrumb]",
            "[aria-label=Breadcrumb]",
            "[aria-label=breadcrumbs]",
            ".block-system-breadcrumb-block",
            "[itemtype$='BreadcrumbList']",
        ],
    ),
    // Theme bylines and post meta lines ("by admin · June 20, 2024 · 3 comments"):
    // author metadata is read separately, the body never carries it.
    (
        "bylines",
        &[
            ".byline",
            ".entry-meta",
            ".post-meta",
            ".td-post-author-name",
            ".td-post-date",
            ".td-module-meta-info",
            ".posted-on",
            ".post-author",
            ".author-box",
            ".about-author",
            ".td-author-by",
            ".meta-author",
            ".article-meta",
            ".gh-article-meta",
            ".gh-article-author",
            "[rel=author]",
            ".author-bio",
            ".author-info",
            ".author-card",
            ".author-details",
            ".bio-box",
        ],
    ),
    // Photo captions and credits ("Megan Briggs/Getty Images").
    (
        "captions",
        &[
            ".credit",
            ".photo-credit",
            ".image-credit",
            ".caption",
            ".wp-caption-text",
            ".media-caption",
            ".image-caption",
            "figcaption",
        ],
    ),
    // Share and follow bars.
    (
        "share",
        &[
            ".sharedaddy",
            ".share-buttons",
            ".social-share",
            ".share-bar",
            ".td-post-sharing",
            ".post-share",
            ".share-links",
            ".social-icons",
            ".addtoany_share_save_account",
            ".a2a_kit",
            ".heateor_sss_sharing_container",
            ".ssba",
            ".jp-sharing-input-touch",
            ".entry-share",
            ".sharing",
            "[class*=share-buttons]",
        ],
    ),
    // Related and recommended posts.
    (
        "related",
        &[
            ".related-posts",
            ".related-articles",
            ".related",
            "#jp-relatedposts",
            ".jp-relatedposts",
            ".yarpp-related",
            ".crp_related",
            ".td-related-title",
            ".td_block_related_posts",
            ".read-next",
            ".gh-read-next",
            ".more-stories",
            ".recommended",
            ".post-navigation",
            ".nav-links",
            ".you-may-also-like",
        ],
    ),
    // Link-preview cards that embed another page's title and excerpt.
    (
        "embeds",
        &[
            ".kg-bookmark-card",
            ".wp-embedded-content",
            ".wp-block-embed-wordpress",
            ".embed-card",
            ".link-preview",
        ],
    ),
    // A video player's details: the clip's title and description, which are
    // another story's (a player set into an article usually plays the next clip
    // of the site's feed). `media-video` is the player element of one widespread
    // news platform's web components; the classes are the common class names.
    (
        "video",
        &[
            "media-video",
            ".video-title",
            ".video-caption",
            ".video-description",
            ".video-details",
            ".videoDetails",
            "#videoDetails",
        ],
    ),
    // Skip links and their targets ("Skip to content", "after newsletter
    // promotion"): accessibility anchors, not text.
    (
        "skip-links",
        &[
            ".skip-link",
            ".skip-links",
            ".skip-to-content",
            "[id*=skip-link]",
            "[class*=skip-link]",
        ],
    ),
    // Comment lists and reply forms.
    (
        "comments",
        &[
            "#comments",
            ".comments-area",
            "#respond",
            ".comment-respond",
            ".comments",
            ".comment-list",
            "#disqus_thread",
            ".fb-comments",
        ],
    ),
    // Newsletter, subscription and paywall prompts.
    (
        "newsletter",
        &[
            ".newsletter",
            ".newsletter-signup",
            ".subscribe",
            ".subscription",
            ".gh-cta",
            ".mc4wp-form",
            ".signup-form",
            ".optin",
            ".paywall",
        ],
    ),
    // Cookie and consent banners.
    (
        "cookies",
        &[
            "#cookie-notice",
            ".cookie-notice",
            ".cookie-banner",
            "#cookie-law-info-bar",
            ".cc-window",
            "#onetrust-banner-sdk",
            ".gdpr",
        ],
    ),
    // Advertising slots and their labels.
    (
        "ads",
        &[
            ".advertisement",
            ".ad",
            ".ads",
            ".ad-slot",
            ".ad-container",
            ".adsbygoogle",
            ".td-a-rec",
            ".wp-ad",
            "[id^=div-gpt-ad]",
            ".sponsored",
            ".ad-label",
        ],
    ),
    // Page furniture that can sit inside an article container.
    (
        "furniture",
        &[
            "header.site-header",
            "footer",
            ".site-footer",
            "aside",
            ".sidebar",
            ".widget",
            // Headings classed "toc" are the entries a contents box lists, not the box.
            ".toc:not(h1, h2, h3, h4, h5, h6)",
            "#toc",
            ".table-of-contents",
            ".tags",
            ".post-tags",
            ".tagcloud",
            ".print-only",
            ".screen-reader-text",
            ".sr-only",
            ".visually-hidden",
        ],
    ),
];

/// Opening words of boilerplate blocks (matching is case-insensitive). A block
/// that is just the phrase (plus a short tail such as "Cancel reply" or a
/// count) is a section title: it goes with the rest of its section. A longer
/// short block that starts with the phrase ("Read more: …") goes alone. A
/// one-word phrase only matches a block that is that word alone, so a heading
/// like "Related work" stays.
pub const PHRASES: &[&str] = &[
    // related content
    "You may also like",
    "You might also like",
    "Related posts",
    "Related articles",
    "Related stories",
    "Related content",
    "Related coverage",
    "Related video",
    "More stories",
    "More related stories",
    "Related",
    "More from",
    "Read more",
    "Read next",
    "Recommended",
    "Most popular",
    "Trending",
    // shopping widgets
    "Shop this story",
    "Shop the story",
    "Shop the look",
    // comments
    "Leave a Comment",
    "Leave a Reply",
    "Post a Comment",
    "Comments",
    // subscriptions
    "Subscribe to our newsletter",
    "Sign up for our newsletter",
];

/// Words that point readers to another page: "MORE: <link>", "Related:
/// <link>", "Also read - <link>". A short block that opens with one, then a
/// separator, goes when links make up most of the rest; a block that is the
/// word alone, or prose that merely starts with it, stays. (The section
/// phrases above also act as prompts: "Related: <link>".)
pub const PROMPTS: &[&str] = &[
    "More",
    "Read",
    "Read also",
    "Also read",
    "See also",
    "Also see",
    "Watch",
    "Watch more",
    "Listen",
    "Don't miss",
    "Must read",
    "Required reading",
    "Further reading",
    "Top stories",
    "Latest",
];

/// Short labels that go alone (the thing they label is caught by selectors).
pub const LABELS: &[&str] = &[
    "Advertisement",
    "Sponsored",
    "Share this",
    "Share this article",
    "Share on",
    "Share:",
    "Follow us",
    "Skip to content",
    "Article continues below",
    "Story continues below",
    "Continue reading below",
    "Swipe to scroll",
    // Caption and image toggles printed as text ("Show Caption").
    "Show caption",
    "Hide caption",
    "Toggle caption",
    "Enlarge this image",
    // Photo credits left outside their caption markup ("Photo: Jane Doe/Netflix").
    "Photo",
    "Photos",
    "Image",
    "Credit",
    "Photo by",
    "Photos by",
    "Photograph by",
    "Photo credit",
    "Image credit",
    "Image via",
    "Photo courtesy",
    "Submitted photo",
];

/// Compiles a built-in selector. Built-in selectors are constants covered by
/// tests, so an invalid one is a bug in gleaner, not bad input.
pub(crate) fn compile(css: &str) -> Selector {
    match Selector::parse(css) {
        Ok(s) => s,
        Err(e) => panic!("built-in selector {css:?} is invalid: {e:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_selector_compiles() {
        for (_, sels) in BOILERPLATE {
            for css in *sels {
                assert!(Selector::parse(css).is_ok(), "{css}");
            }
        }
    }
}
