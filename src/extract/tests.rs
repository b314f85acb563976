//! End-to-end tests of the cascade on hand-made pages: each rule that drops or keeps a block,
//! seen through [`extract`].

use super::*;

#[test]
fn headings_classed_toc_stay_while_the_contents_box_goes() {
    let prose = "A paragraph of the story with enough words, commas, and detail to count as prose.";
    let html = format!(
        "<html><body><article><div class=toc><a href=#one>Contents entry</a></div>\
         <p>{prose}</p><h2 class='wp-block-heading toc' id=one>Section one</h2>\
         <p>{prose}</p><p>{prose}</p></article></body></html>"
    );
    let Ok(url) = Url::parse("https://example.com/story") else {
        panic!("bad test url");
    };
    let article = extract(&html, &url, None);
    assert!(article.text.contains("Section one"));
    assert!(!article.text.contains("Contents entry"));
}

#[test]
fn byline_lines_and_end_matter_leave_the_body_and_are_reported() {
    let prose = "A paragraph of the story with enough words, commas, and detail to count as prose.";
    let html = format!(
        "<html><head><meta name=author content='Jane Doe'></head><body><article>\
         <p>Jane Doe</p><p>{prose}</p><p>{prose}</p><p>{prose}</p>\
         <p>Contact Jane Doe at jane@example.com.</p></article></body></html>"
    );
    let Ok(url) = Url::parse("https://example.com/story") else {
        panic!("bad test url");
    };
    let article = extract(&html, &url, None);
    assert_eq!(article.authors, vec!["Jane Doe".to_string()]);
    assert!(article.text.starts_with("A paragraph"), "{}", article.text);
    assert!(!article.text.contains("Contact"), "{}", article.text);
    let count = |rule: &str| {
        article
            .extraction
            .removed
            .iter()
            .find(|r| r.rule == rule)
            .map(|r| r.count)
    };
    assert_eq!(count("default/byline-lines"), Some(1));
    assert_eq!(count("default/end-matter"), Some(1));
}

#[test]
fn caption_toggles_printed_as_text_leave_the_body() {
    let prose = "A paragraph of the story with enough words, commas, and detail to count as prose.";
    let html = format!(
        "<html><body><article><div class=photo-wrap><div>Show Caption</div></div>\
         <p>{prose}</p><p>{prose}</p><p>Tap to show caption settings, which are explained in the app.</p></article></body></html>"
    );
    let Ok(url) = Url::parse("https://example.com/story") else {
        panic!("bad test url");
    };
    let article = extract(&html, &url, None);
    assert!(article.text.starts_with("A paragraph"), "{}", article.text);
    assert!(
        article.text.contains("show caption settings"),
        "{}",
        article.text
    );
}

#[test]
fn a_video_players_clip_title_and_description_leave_the_body() {
    let prose = "A paragraph of the story with enough words, commas, and detail to count as prose.";
    let html = format!(
        "<html><body><article class=story><p>{prose}</p>\
         <div class=delta-video-container><h3 class=video-title>Coach reacts to the week's rankings</h3></div>\
         <p>{prose}</p><div id=videoWrap><media-video><div id=videoDetails>\
         <div class=video-title>Officers laugh as they chase a runaway pig</div>\
         <p>Officers in a small town had a laugh as they tried to corral an escaped pig.</p>\
         </div></media-video></div><p>{prose}</p></article></body></html>"
    );
    let Ok(url) = Url::parse("https://example.com/story") else {
        panic!("bad test url");
    };
    let article = extract(&html, &url, None);
    for clip in ["Coach reacts", "runaway pig", "corral"] {
        assert!(!article.text.contains(clip), "{clip}: {}", article.text);
    }
    assert_eq!(article.text.matches("A paragraph").count(), 3);
    let video = article
        .extraction
        .removed
        .iter()
        .find(|r| r.rule == "default/video");
    assert!(
        video.is_some_and(|r| r.count >= 2),
        "{:?}",
        article.extraction.removed
    );
}

#[test]
fn skip_link_targets_leave_the_body() {
    let prose = "A paragraph of the story with enough words, commas, and detail to count as prose.";
    let html = format!(
        "<html><body><article><p>{prose}</p><figure><aside>Sign up to our weekly email</aside>\
         <p id=EmailSignup-skip-link-12 role=note>after newsletter promotion</p></figure>\
         <p>{prose}</p><p>{prose}</p></article></body></html>"
    );
    let Ok(url) = Url::parse("https://example.com/story") else {
        panic!("bad test url");
    };
    let article = extract(&html, &url, None);
    assert!(
        !article.text.contains("after newsletter"),
        "{}",
        article.text
    );
    let rule = article
        .extraction
        .removed
        .iter()
        .find(|r| r.rule == "default/skip-links");
    assert!(rule.is_some(), "{:?}", article.extraction.removed);
}

#[test]
fn summary_box_beside_a_declared_body_joins_it() {
    let prose = "A paragraph of the story with enough words, commas, and detail to count as prose.";
    let body = format!("<p>{prose}</p>").repeat(4);
    let html = format!(
        "<html><body><div class=container><div class=highlights-container>\
         <h2>Takeaways</h2><ul><li>The first point of the story, told in one short line.</li>\
         <li>The second point of the story, told in another line.</li></ul></div>\
         <div class=inner><article><div class=entry-content>{body}</div></article></div>\
         </div><div class=sidebar><p>Other news of the day, told in a few words here.</p></div>\
         </body></html>"
    );
    let Ok(url) = Url::parse("https://example.com/story") else {
        panic!("bad test url");
    };
    let article = extract(&html, &url, None);
    assert!(
        article.text.starts_with("Takeaways\n\nThe first point"),
        "{}",
        article.text
    );
    assert!(!article.text.contains("Other news"), "{}", article.text);
}

#[test]
fn an_article_cut_into_numbered_segments_is_whole() {
    let segment = |n: usize, words: &str| {
        format!(
            "<div><div class='story__content--a1b2c3 html_{n}'>\
             <p>{words} opens this part of the story, with enough words, commas, and detail.</p>\
             <p>{words} goes on in this part of the story, with enough words and detail too.</p>\
             </div></div>"
        )
    };
    let html = format!(
        "<html><body><main><div id=content--body><div>{}{}\
         <aside class=related><a href=/other>Another story entirely</a></aside>{}{}\
         </div></div></main></body></html>",
        segment(0, "Alpha"),
        segment(2, "Bravo"),
        segment(4, "Charlie"),
        segment(
            6,
            "Delta plus a longer part, written at more length so that it scores highest,"
        )
    );
    let Ok(url) = Url::parse("https://example.com/story") else {
        panic!("bad test url");
    };
    let article = extract(&html, &url, None);
    for part in [
        "Alpha opens",
        "Bravo goes on",
        "Charlie opens",
        "Delta plus",
    ] {
        assert!(article.text.contains(part), "{part}: {}", article.text);
    }
    assert!(!article.text.contains("Another story"), "{}", article.text);
}

#[test]
fn a_chinese_body_is_measured_in_characters_and_kept_without_the_page_around_it() {
    let para = "<p>谷歌在二零一四年收购的人工智能公司开发出一款能够用自己的记忆学习新知识并利用这些知识来回答问题的计算机，这款产品具有极其重要的意义。</p>";
    let notice = "Your browser is out of date so update it now. ".repeat(8);
    let html = format!(
        "<html><body><div>{notice}</div><article>{para}{para}{para}{para}{para}</article></body></html>"
    );
    let Ok(url) = Url::parse("https://example.com/story") else {
        panic!("bad test url");
    };
    let article = extract(&html, &url, None);
    assert_eq!(article.extraction.method, Method::Generic);
    assert!(article.text.starts_with("谷歌"), "{}", article.text);
    assert!(!article.text.contains("browser"), "{}", article.text);
}

#[test]
fn word_count_counts_cjk_characters() {
    assert_eq!(word_count("two words"), 2);
    assert_eq!(word_count("神山町を訪問 in 2008"), 8);
    assert_eq!(word_count(" — "), 0);
    assert_eq!(word_count("a神b c\u{a0}d e-f 12"), 6);
    assert_eq!(word_count(""), 0);
}

#[test]
fn content_hash_is_sha256_of_text() {
    assert_eq!(
        content_hash(""),
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}
