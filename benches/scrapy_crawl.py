"""Scrapy over the same local site as `cargo bench --bench crawl`, with settings equivalent to gleaner's.

Run by the bench harness (see README, "Crawl benchmark"):
    python scrapy_crawl.py --urls URLS.txt --out OUT.jsonl --delay 0.5 --concurrency 16

Equivalences with `gleaner crawl`: robots.txt obeyed, one request in flight per host
(CONCURRENT_REQUESTS_PER_DOMAIN = 1; each bench host is its own IP, which is Scrapy's slot key), a fixed
delay between requests to a host (DOWNLOAD_DELAY, not randomized, no AutoThrottle), the same global
concurrency, retries on, cookies off. Each page yields its title and paragraph text, written as JSON lines
by Scrapy's feed exporter: much less work than gleaner's extraction (boilerplate removal, metadata,
normalization), so the throughput comparison flatters Scrapy.
"""

import argparse

import scrapy
from scrapy.crawler import CrawlerProcess


class Articles(scrapy.Spider):
    name = "articles"

    def __init__(self, urls, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = urls

    def parse(self, response):
        paragraphs = [p.strip() for p in response.css("article p::text").getall()]
        yield {
            "url": response.url,
            "title": response.css("h1::text").get(),
            "text": "\n\n".join(p for p in paragraphs if p),
        }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--urls", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--delay", type=float, required=True)
    parser.add_argument("--concurrency", type=int, required=True)
    args = parser.parse_args()
    with open(args.urls) as f:
        urls = f.read().split()
    process = CrawlerProcess(
        settings={
            "ROBOTSTXT_OBEY": True,
            "DOWNLOAD_DELAY": args.delay,
            "RANDOMIZE_DOWNLOAD_DELAY": False,
            "AUTOTHROTTLE_ENABLED": False,
            "CONCURRENT_REQUESTS": args.concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
            "COOKIES_ENABLED": False,
            "TELNETCONSOLE_ENABLED": False,
            "RETRY_ENABLED": True,
            "USER_AGENT": "scrapy-bench",
            "LOG_LEVEL": "WARNING",
            "FEEDS": {args.out: {"format": "jsonlines"}},
        }
    )
    process.crawl(Articles, urls=urls)
    process.start()


if __name__ == "__main__":
    main()
