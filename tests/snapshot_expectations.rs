//! What each bundled snapshot must produce, asserted field by field from the
//! expectations in `snapshots/README.md`: independent of the golden files, so a
//! golden regenerated with a regression cannot hide it.

use std::path::Path;

use gleaner::fetch::decode_html;
use gleaner::profile::ProfileSet;
use gleaner::snapshot::list_cases;
use gleaner::{Article, Block};

struct Expect {
    case: &'static str,
    title: &'static str,
    authors: &'static [&'static str],
    published: &'static str,
    headings: &'static [&'static str],
    present: &'static [&'static str],
    absent: &'static [&'static str],
}

const CASES: &[Expect] = &[
    Expect {
        case: "newsfront/putin-will-not-take-a-step-back",
        title: "Putin will not take a step back: what are the Kremlin’s true intentions regarding the negotiations",
        authors: &["Victoria Grabovskaya"],
        published: "2024-06-20T01:14:27+03:00",
        headings: &[
            "What signals does Putin give",
            "What is known about the “peace treaty” that Russia handed over to the United States",
        ],
        present: &[
            "banking system of Russia; Moscow will transfer to Ukraine the Zaporizhia NPP",
            "“Putin essentially” proposed",
        ],
        absent: &[
            "Victoria Grabovskaya",
            "alex",
            "Home »",
            "Advertisement",
            "You may also like",
            "More from author",
            "Leave a Comment",
            "Post Comment",
            "Please enter your comment",
            "Stay connected",
            "Latest news",
            "TAGS",
            "Previous article",
            "Next article",
            "We use cookies",
            "ACCEPT",
            "Facebook",
            "Telegram",
            "Popular Category",
            "Editor Picks",
            "All rights reserved",
            ">Moscow",
        ],
    },
    Expect {
        case: "ghost-blog/a-year-of-reading-my-own-electricity-meter",
        title: "A year of reading my own electricity meter",
        authors: &["Maren Holt"],
        published: "2024-02-11T14:05:12Z",
        headings: &[
            "The baseline is higher than you think",
            "Seasons matter more than gadgets",
            "What the numbers could not tell me",
            "Would I do it again?",
        ],
        present: &["The index cards are in a shoebox."],
        absent: &[
            "Sign up for Slow Signal",
            "Subscribe",
            "Your email",
            "Email sent!",
            "No spam",
            "Read next",
            "The fridge that ran all night",
            "Notes on a rain gauge",
            "Counting cars on our street",
            "Powered by",
            "Sign in",
            "Member discussion",
            "min read",
            "Feb 11, 2024",
            "jamie@example.com",
        ],
    },
    Expect {
        case: "city-herald/westbank-tram-depot-homes",
        title: "Council backs plan to turn Westbank tram depot into 240 homes",
        authors: &["Ilse Marchetti", "Daniel Osei"],
        published: "2024-04-18T16:45:00+02:00",
        headings: &[
            "A hall too big to demolish",
            "Contamination and costs",
            "What happens next",
        ],
        present: &["The city council on Thursday approved a plan"],
        absent: &[
            "webdesk",
            "Home › News",
            "Breadcrumb",
            "Skip to main content",
            "Advertisement",
            "Read also",
            "Tram line 4 extension",
            "Related stories",
            "Waiting list for regulated flats",
            "Share this story",
            "Harbour Street resident",
            "Twelve years I have walked past that fence",
            "Add new comment",
            "Herald Morning Brief",
            "Subscribe",
            "We use cookies",
            "All rights reserved",
            "Photo: City Herald",
            "Log in",
        ],
    },
    Expect {
        case: "jsonld-only/battery-ferries-first-winter",
        title: "Battery ferries pass their first winter on the northern crossing",
        authors: &["Priya Raman", "Jonas Feld"],
        published: "2024-03-05T08:30:00-05:00",
        headings: &[
            "What the data show",
            "Ice was the bigger problem",
            "What comes next",
        ],
        present: &["Ostrander and Bell Point"],
        absent: &[
            "Get Transit Notes",
            "Sign up",
            "Advertisement",
            "Related:",
            "enter service after two-year delay",
            "Most read",
            "More from Transport",
            "Your privacy choices",
            "Accept all",
            "Copy link",
            "Share on Bluesky",
            "Have a tip",
            "Support local news",
            "By Priya Raman",
            "Skip to story",
            "Meridian Wire",
        ],
    },
    Expect {
        case: "legacy-charset/latin1-meta",
        title: "La fête du pain revient sur la place de l’Église",
        authors: &["Françoise Béranger"],
        published: "2007-09-14",
        headings: &["Un pain venu de Kamiyama", "Une œuvre collective"],
        present: &[
            "2 €",
            "12 €",
            "cœur",
            "Lœuillet",
            "Marçais",
            "“Chez nous",
            "‘tombola du boulanger’",
            "1 500 visiteurs — un record",
        ],
        absent: &[
            "Accueil",
            "Actualités",
            "Fête du pain 2007",
            "Haut de page",
            "Imprimer cette page",
            "Envoyer à un ami",
            "Agenda",
            "Adhésion",
            "Webmaster",
            "Dernière mise à jour",
            "Cotisation",
            "Par Françoise",
            "Ã",
            "â€",
            "\u{FFFD}",
        ],
    },
    Expect {
        case: "legacy-charset/sjis-header",
        title: "サン＝ジュネの中学生8人が神山町を訪問",
        authors: &["佐藤美咲"],
        published: "2008-04-22",
        headings: &["学校での二日間", "交流の今後"],
        present: &["表敬訪問", "ソース", "可能"],
        absent: &[
            "トップページ",
            "お知らせ",
            "中学生訪問団",
            "ページの先頭へ",
            "このページを印刷する",
            "今後の予定",
            "新着情報",
            "最終更新日",
            "Français",
            "文：",
            "佐藤美咲",
            "\u{FFFD}",
        ],
    },
    Expect {
        case: "rich-content/http-conditional-requests-explained",
        title: "HTTP conditional requests, explained: ETag, Last-Modified and the 304",
        authors: &["Tobias Wren"],
        published: "2024-05-14T10:00:00+01:00",
        headings: &[
            "Why conditional requests exist",
            "The two validators",
            "ETag",
            "Last-Modified",
            "A revalidation, step by step",
            "Mistakes that defeat revalidation",
            "What to do in practice",
        ],
        present: &[
            "headers[\"If-None-Match\"] = state.etag",
            "if 200 <= resp.status_code < 300:",
            "# unchanged & already stored",
            "Ines Duarte",
        ],
        absent: &[
            "On this page",
            "Advertisement",
            "EdgeCache",
            "Enjoyed this?",
            "Subscribe",
            "Related posts",
            "What Vary really does",
            "stale-while-revalidate without",
            "« Prev",
            "Next »",
            "Suggest Changes",
            "Powered by",
            "PaperMod",
            "first-party cookie",
            "Home » Posts",
            "856 words",
        ],
    },
    Expect {
        case: "wp-unprofiled/balcony-composting-year",
        title: "What a Year of Composting on a Balcony Taught Me",
        // The only byline is the CMS account "admin", which is not an author.
        authors: &[],
        published: "2024-03-12T14:20:31Z",
        headings: &[
            "Choosing a system",
            "The mistakes I made",
            "Winter on the balcony",
            "Was it worth it?",
        ],
        present: &["you have enough room to start"],
        absent: &[
            "Home » Blog",
            "Skip to content",
            "By admin",
            "2 Comments",
            "Join the Balcony Green newsletter",
            "Sign up",
            "Leave this field empty",
            "Share this:",
            "Click to share",
            "Like this:",
            "Loading...",
            "Related",
            "Worm bins vs. bokashi",
            "Self-watering containers",
            "Previous Post",
            "thoughts on",
            "Rosalind",
            "fruit flies",
            "dry shredded paper",
            "Leave a Reply",
            "will not be published",
            "Post Comment",
            "You may also like",
            "Chillies in pots",
            "Categories",
            "Manage Cookie Consent",
            "To provide the best experiences",
            "Powered by",
            "Copyright",
        ],
    },
];

fn extract_all() -> Vec<(String, Article)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let profiles = ProfileSet::load_dir(&root.join("site-profiles")).expect("profiles");
    list_cases(&root.join("snapshots"))
        .expect("catalog")
        .into_iter()
        .map(|case| {
            let bytes = std::fs::read(&case.html).expect("page");
            let html = decode_html(&bytes, case.content_type.as_deref()).text;
            let profile = profiles.for_url(&case.url).map(|p| p.as_ref());
            (
                format!("{}/{}", case.site, case.case),
                gleaner::extract(&html, &case.url, profile),
            )
        })
        .collect()
}

#[test]
fn every_case_produces_its_expected_article() {
    let articles = extract_all();
    assert_eq!(
        articles.len(),
        CASES.len(),
        "every snapshot case has expectations here"
    );
    for want in CASES {
        let (_, got) = articles
            .iter()
            .find(|(name, _)| name == want.case)
            .unwrap_or_else(|| panic!("no snapshot {}", want.case));
        let case = want.case;
        assert_eq!(got.title.as_deref(), Some(want.title), "{case}: title");
        assert_eq!(got.authors, want.authors, "{case}: authors");
        assert_eq!(
            got.published.map(|d| d.to_string()).as_deref(),
            Some(want.published),
            "{case}: published"
        );
        let headings: Vec<&str> = got
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(headings, want.headings, "{case}: headings");
        let body: Vec<String> = got.blocks.iter().map(Block::plain_text).collect();
        let body = format!("{}\n{}", got.text, body.join("\n"));
        for s in want.present {
            assert!(body.contains(s), "{case}: body lacks {s:?}");
        }
        for s in want.absent {
            assert!(!body.contains(s), "{case}: body contains boilerplate {s:?}");
        }
    }
}

#[test]
fn the_seed_article_keeps_its_list_as_a_list_block() {
    let articles = extract_all();
    let (_, seed) = articles
        .iter()
        .find(|(name, _)| name.starts_with("newsfront/"))
        .expect("seed case");
    let lists: Vec<&Vec<String>> = seed
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::List {
                ordered: false,
                items,
            } => Some(items),
            _ => None,
        })
        .collect();
    assert_eq!(lists.len(), 1);
    assert_eq!(lists[0].len(), 4);
    assert!(lists[0][0].starts_with("Ukraine must withdraw troops"));
    let paragraphs = seed
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::Paragraph { .. }))
        .count();
    assert_eq!(paragraphs, 8);
}

#[test]
fn legacy_charsets_come_from_the_right_source() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots/legacy-charset");
    let latin1 = std::fs::read(root.join("latin1-meta.html")).expect("page");
    let decoded = decode_html(&latin1, None);
    assert_eq!(
        (decoded.encoding.name(), decoded.source.as_str()),
        ("windows-1252", "meta")
    );
    let sjis = std::fs::read(root.join("sjis-header.html")).expect("page");
    let decoded = decode_html(&sjis, Some("text/html; charset=Shift_JIS"));
    assert_eq!(
        (decoded.encoding.name(), decoded.source.as_str()),
        ("Shift_JIS", "header")
    );
}
