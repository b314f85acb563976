use std::io::Read;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut gz = flate2::read::GzDecoder::new(std::fs::File::open(&args[1]).unwrap());
    let mut s = String::new();
    gz.read_to_string(&mut s).unwrap();
    let url = url::Url::parse(args.get(2).map(|s| s.as_str()).unwrap_or("https://example.com/")).unwrap();
    let a = gleaner::extract(&s, &url, None);
    println!("{}", serde_json::to_string_pretty(&a).unwrap());
}
