//! What a shopper's message asks for, read without a language model: the category (Czech
//! words in any case: "židle", "židli", "židlí"), a budget ("do 3 000 Kč", "pod 500 korun",
//! "kolem 2 000", "levnější než"), brands, attribute values (colours, materials), "skladem",
//! a comparison of two named things, or a question about an order. English works too.

/// The catalog's words the reader knows.
#[derive(Debug, Clone, Default)]
pub(crate) struct Vocabulary {
    /// Every category.
    pub categories: Vec<Category>,
    /// Brands: slug, name, the name folded into words.
    pub brands: Vec<(String, String, Vec<String>)>,
    /// Values of select attributes: attribute slug, value slug, value name (folded words).
    pub values: Vec<(String, String, String, Vec<String>)>,
}

/// A category as the reader knows it.
#[derive(Debug, Clone)]
pub(crate) struct Category {
    pub slug: String,
    pub name: String,
    pub depth: i16,
    /// The parent's slug.
    pub parent: Option<String>,
    /// The name's words, folded.
    pub words: Vec<String>,
}

/// A request as understood.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Request {
    /// The category: slug and name.
    pub category: Option<(String, String)>,
    /// Budget in haléře, inclusive.
    pub price_min: Option<i64>,
    pub price_max: Option<i64>,
    /// Brands named: slug and name.
    pub brands: Vec<(String, String)>,
    /// Attribute values named: attribute slug, value slug, value name.
    pub values: Vec<(String, String, String)>,
    /// Only what is in stock.
    pub in_stock: bool,
    /// A comparison was asked for ("porovnej", "nebo", "vs").
    pub compare: bool,
    /// A question about an order, with its number when given.
    pub order: Option<Option<String>>,
    /// Words that named nothing above, for a full-text search.
    pub rest: Vec<String>,
    /// The message was in English.
    pub english: bool,
}

impl Request {
    /// Whether anything in the message narrows the catalog down.
    pub(crate) fn narrows(&self) -> bool {
        self.category.is_some()
            || !self.brands.is_empty()
            || !self.values.is_empty()
            || !self.rest.is_empty()
    }
}

/// Lower case ASCII words of `text` (Czech diacritics removed); digits stay.
pub(crate) fn fold(text: &str) -> Vec<String> {
    crate::seed::slugify(text)
        .split('-')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The part of a word that its Czech forms share: "zidle" → "zidl" ("židli", "židlí").
fn stem(word: &str) -> &str {
    let keep = match word.len() {
        0..=3 => word.len(),
        4..=5 => word.len() - 1,
        _ => word.len() - 2,
    };
    &word[..keep]
}

/// Whether two words are forms of one another: one starts with the other's stem and is at
/// most `longer` letters longer ("židli" ~ "židle", but "kávovar" is not "káva").
fn same_word(a: &str, b: &str, longer: usize) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short.len() >= 3
        && long.len() <= short.len() + longer
        && (a.starts_with(stem(b)) || b.starts_with(stem(a)))
}

/// Words that never name a category, brand or value.
const FILLER: &[&str] = &[
    "a",
    "i",
    "na",
    "do",
    "od",
    "pod",
    "nad",
    "pro",
    "s",
    "se",
    "v",
    "ve",
    "z",
    "za",
    "k",
    "ke",
    "o",
    "je",
    "jsou",
    "co",
    "jak",
    "kde",
    "mi",
    "me",
    "mne",
    "muj",
    "moje",
    "hledam",
    "hledame",
    "chci",
    "chtel",
    "chtela",
    "bych",
    "potrebuji",
    "potrebuju",
    "prosim",
    "nejaky",
    "nejakou",
    "nejake",
    "nejakeho",
    "doporuc",
    "doporucte",
    "poradte",
    "porad",
    "najdi",
    "ukaz",
    "mate",
    "mam",
    "kc",
    "korun",
    "czk",
    "kolem",
    "okolo",
    "zhruba",
    "cca",
    "priblizne",
    "max",
    "maximalne",
    "nejvys",
    "min",
    "minimalne",
    "alespon",
    "levnejsi",
    "drazsi",
    "nez",
    "skladem",
    "ihned",
    "lepsi",
    "nebo",
    "porovnej",
    "porovnat",
    "srovnej",
    "srovnat",
    "vs",
    "the",
    "an",
    "for",
    "me",
    "my",
    "i",
    "im",
    "looking",
    "want",
    "need",
    "show",
    "find",
    "under",
    "below",
    "over",
    "above",
    "around",
    "about",
    "less",
    "more",
    "than",
    "cheaper",
    "up",
    "to",
    "in",
    "stock",
    "or",
    "better",
    "compare",
    "with",
    "of",
    "what",
    "is",
    "where",
    "please",
    "tis",
    "tisic",
    "k",
    "do",
    "nejlevnejsi",
    "levne",
    "levny",
    "levnou",
    "dobry",
    "dobrou",
    "dobre",
    "kvalitni",
    "nejlepsi",
    "best",
    "cheap",
    "good",
];

const ENGLISH: &[&str] = &[
    "the", "looking", "want", "need", "show", "find", "under", "below", "around", "cheaper",
    "than", "stock", "better", "compare", "order", "where", "my", "please", "chair", "drill",
    "for", "with",
];

/// Words to the English names of Czech category words, so English requests find them too.
const ENGLISH_WORDS: &[(&str, &str)] = &[
    ("chair", "zidle"),
    ("chairs", "zidle"),
    ("armchair", "kresla"),
    ("table", "stoly"),
    ("desk", "psaci"),
    ("office", "kancelarske"),
    ("drill", "vrtacky"),
    ("kettle", "konvice"),
    ("coffee", "kavovary"),
    ("blender", "mixery"),
    ("vacuum", "vysavace"),
    ("helmet", "helmy"),
    ("gloves", "rukavice"),
    ("shoes", "boty"),
    ("shirt", "tricka"),
    ("spade", "ryce"),
    ("shovel", "lopaty"),
    ("shears", "nuzky"),
    ("bookcase", "knihovny"),
    ("dresser", "komody"),
    ("stul", "stoly"),
    ("black", "cerna"),
    ("white", "bila"),
    ("red", "cervena"),
    ("oak", "dub"),
    ("beech", "buk"),
    ("walnut", "orech"),
    ("metal", "kov"),
    ("plastic", "plast"),
    ("stainless", "nerez"),
];

/// Reads a message.
pub(crate) fn understand(message: &str, vocabulary: &Vocabulary) -> Request {
    let raw = fold(message);
    let english = raw.iter().filter(|w| ENGLISH.contains(&w.as_str())).count() >= 1
        && !raw.iter().any(|w| w.contains("hled") || w.contains("chc"));
    let words: Vec<String> = raw
        .iter()
        .map(|w| {
            ENGLISH_WORDS
                .iter()
                .find(|(en, _)| en == w)
                .map_or_else(|| w.clone(), |(_, cs)| (*cs).to_owned())
        })
        .collect();
    let mut request = Request {
        english,
        ..Request::default()
    };
    let mut used = vec![false; words.len()];
    budget(&words, &mut used, &mut request);
    request.in_stock = words.iter().any(|w| w == "skladem" || w == "ihned")
        || raw.windows(2).any(|p| p[0] == "in" && p[1] == "stock");
    request.compare = words.iter().any(|w| {
        matches!(
            w.as_str(),
            "porovnej"
                | "porovnat"
                | "srovnej"
                | "srovnat"
                | "vs"
                | "nebo"
                | "lepsi"
                | "compare"
                | "better"
        )
    });
    order_question(&words, &mut used, &mut request);
    if request.order.is_some() {
        return request;
    }
    // Brands: their folded names as whole words.
    for (slug, name, brand_words) in &vocabulary.brands {
        if let Some(at) = find_sequence(&words, brand_words) {
            used[at..at + brand_words.len()]
                .iter_mut()
                .for_each(|u| *u = true);
            request.brands.push((slug.clone(), name.clone()));
        }
    }
    // The category whose name's words, with its ancestors', match most message words ("dámské
    // tričko na běh": Běžecká trička under Běh); then the one whose own name is matched most
    // fully; then the broader one.
    let matches = |category: &Category| -> Vec<usize> {
        category
            .words
            .iter()
            .filter(|w| w.len() >= 3)
            .filter_map(|category_word| {
                (0..words.len()).find(|&i| {
                    !FILLER.contains(&words[i].as_str()) && same_word(&words[i], category_word, 2)
                })
            })
            .collect()
    };
    let mut best: Option<(Rank, &Category, Vec<usize>)> = None;
    for category in &vocabulary.categories {
        let own = matches(category);
        if own.is_empty() {
            continue;
        }
        let mut hits = own.clone();
        let mut parent = category.parent.as_deref();
        while let Some(slug) = parent {
            let Some(ancestor) = vocabulary.categories.iter().find(|c| c.slug == slug) else {
                break;
            };
            hits.extend(matches(ancestor));
            parent = ancestor.parent.as_deref();
        }
        hits.sort_unstable();
        hits.dedup();
        let named = category
            .words
            .iter()
            .filter(|w| w.len() >= 3)
            .count()
            .max(1);
        let rank: Rank = (hits.len(), own.len() * 10 / named, -category.depth);
        if best
            .as_ref()
            .is_none_or(|(best_rank, ..)| rank > *best_rank)
        {
            best = Some((rank, category, hits));
        }
    }
    if let Some((_, category, hits)) = best {
        hits.into_iter().for_each(|i| used[i] = true);
        request.category = Some((category.slug.clone(), category.name.clone()));
    }
    for (attribute, value_slug, value_name, value_words) in &vocabulary.values {
        let Some(value_word) = value_words.first() else {
            continue;
        };
        if let Some(at) = (0..words.len()).find(|&i| {
            !used[i] && !FILLER.contains(&words[i].as_str()) && same_word(&words[i], value_word, 4)
        }) {
            used[at] = true;
            if !request
                .values
                .iter()
                .any(|(a, v, _)| a == attribute && v == value_slug)
            {
                request
                    .values
                    .push((attribute.clone(), value_slug.clone(), value_name.clone()));
            }
        }
    }
    request.rest = words
        .iter()
        .zip(&used)
        .filter(|(w, used)| {
            !**used
                && w.len() >= 3
                && !FILLER.contains(&w.as_str())
                && !w.chars().all(|c| c.is_ascii_digit())
        })
        .map(|(w, _)| w.clone())
        .collect();
    request
}

/// How well a category fits: distinct message words matched (with its ancestors), the share of
/// its own name matched (tenths), and broadness (minus depth).
type Rank = (usize, usize, i16);

/// Where `needle` (a word sequence) starts in `words`.
fn find_sequence(words: &[String], needle: &[String]) -> Option<usize> {
    if needle.is_empty() || needle.len() > words.len() {
        return None;
    }
    (0..=words.len() - needle.len()).find(|&i| words[i..i + needle.len()] == *needle)
}

/// Reads "do 3 000 Kč", "pod 500", "kolem 2 tis.", "od 1000", "levnější než 800", "under 3000".
fn budget(words: &[String], used: &mut [bool], request: &mut Request) {
    let mut i = 0;
    while i < words.len() {
        let Some((crowns, next)) = amount_at(words, i) else {
            i += 1;
            continue;
        };
        let before = |n: usize| i.checked_sub(n).map(|at| words[at].as_str());
        let minor = crowns * 100;
        let kind = match (before(2), before(1)) {
            (
                _,
                Some("do" | "pod" | "max" | "maximalne" | "nejvys" | "under" | "below" | "maximum"),
            ) => Some('<'),
            (Some("levnejsi" | "cheaper" | "less" | "mene"), Some("nez" | "than")) => Some('<'),
            (Some("up"), Some("to")) => Some('<'),
            (
                _,
                Some("od" | "nad" | "min" | "minimalne" | "alespon" | "over" | "above" | "from"),
            ) => Some('>'),
            (Some("drazsi" | "more"), Some("nez" | "than")) => Some('>'),
            (_, Some("kolem" | "okolo" | "zhruba" | "cca" | "priblizne" | "around" | "about")) => {
                Some('~')
            }
            _ if words
                .get(next)
                .is_some_and(|w| matches!(w.as_str(), "kc" | "korun" | "czk")) =>
            {
                Some('<')
            }
            _ => None,
        };
        match kind {
            Some('<') => request.price_max = Some(minor),
            Some('>') => request.price_min = Some(minor),
            Some(_) => {
                request.price_min = Some(minor * 8 / 10);
                request.price_max = Some(minor * 12 / 10);
            }
            None => {}
        }
        if kind.is_some() {
            used[i..next].iter_mut().for_each(|u| *u = true);
        }
        i = next;
    }
}

/// An amount of crowns starting at word `i` ("3 000", "3000", "2,5 tis", "3k"), and the index
/// after it.
fn amount_at(words: &[String], i: usize) -> Option<(i64, usize)> {
    let first = &words[i];
    let digits = first.trim_end_matches('k');
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) || digits.len() > 7 {
        return None;
    }
    let mut value: i64 = digits.parse().ok()?;
    let mut next = i + 1;
    if first.ends_with('k') {
        return Some((value * 1000, next));
    }
    // "3 000" is one number: a group of three digits follows.
    while let Some(group) = words
        .get(next)
        .filter(|w| w.len() == 3 && w.chars().all(|c| c.is_ascii_digit()))
    {
        value = value * 1000 + group.parse::<i64>().ok()?;
        next += 1;
    }
    if words.get(next).is_some_and(|w| w == "tis" || w == "tisic") {
        value *= 1000;
        next += 1;
    }
    Some((value, next))
}

/// "kde je moje objednávka", "stav objednávky 2026000123", "where is my order".
fn order_question(words: &[String], used: &mut [bool], request: &mut Request) {
    let about_order = words.iter().any(|w| {
        w.starts_with("objednav")
            || w == "order"
            || w.starts_with("zasilk")
            || w.starts_with("balik")
    });
    if !about_order {
        return;
    }
    let number = words
        .iter()
        .position(|w| w.len() == 10 && w.chars().all(|c| c.is_ascii_digit()));
    if let Some(at) = number {
        used[at] = true;
    }
    request.order = Some(number.map(|at| words[at].clone()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        let category = |slug: &str, name: &str, depth, parent: Option<&str>| Category {
            slug: slug.to_owned(),
            name: name.to_owned(),
            depth,
            parent: parent.map(str::to_owned),
            words: fold(name),
        };
        let brand = |name: &str| (crate::seed::slugify(name), name.to_owned(), fold(name));
        let value = |attribute: &str, name: &str| {
            (
                attribute.to_owned(),
                crate::seed::slugify(name),
                name.to_owned(),
                fold(name),
            )
        };
        Vocabulary {
            categories: vec![
                category("nabytek", "Nábytek", 0, None),
                category("zidle-a-kresla", "Židle a křesla", 1, Some("nabytek")),
                category("jidelni-zidle", "Jídelní židle", 2, Some("zidle-a-kresla")),
                category(
                    "kancelarske-zidle",
                    "Kancelářské židle",
                    2,
                    Some("zidle-a-kresla"),
                ),
                category("kresla", "Křesla", 2, Some("zidle-a-kresla")),
                category("stoly", "Stoly", 1, Some("nabytek")),
                category("aku-vrtacky", "Aku vrtačky", 2, None),
                category("rychlovarne-konvice", "Rychlovarné konvice", 2, None),
                category("kava-a-caj", "Káva a čaj", 1, None),
                category("zrnkova-kava", "Zrnková káva", 2, Some("kava-a-caj")),
                category("kavovary", "Kávovary", 2, None),
                category("beh", "Běh", 1, None),
                category("bezecke-boty", "Běžecké boty", 2, Some("beh")),
                category("bezecka-tricka", "Běžecká trička", 2, Some("beh")),
            ],
            brands: vec![brand("Bosch"), brand("Makita"), brand("Alpine Pro")],
            values: vec![
                value("barva", "Černá"),
                value("material", "Dub"),
                value("barva", "Bílá"),
            ],
        }
    }

    #[test]
    fn categories_in_any_case() {
        let v = vocabulary();
        for message in [
            "hledám kancelářskou židli",
            "kancelářské židle",
            "židli do kanceláře",
        ] {
            assert_eq!(
                understand(message, &v).category.unwrap().0,
                "kancelarske-zidle",
                "{message}"
            );
        }
        for message in ["židle", "nějakou židli", "židlí"] {
            assert_eq!(
                understand(message, &v).category.unwrap().0,
                "zidle-a-kresla",
                "{message}"
            );
        }
        assert_eq!(understand("vrtačku", &v).category.unwrap().0, "aku-vrtacky");
        assert_eq!(
            understand("stůl do obýváku", &v).category.unwrap().0,
            "stoly"
        );
        assert_eq!(
            understand("a chair under 2000", &v).category.unwrap().0,
            "zidle-a-kresla"
        );
    }

    #[test]
    fn budgets() {
        let v = vocabulary();
        let r = understand("kancelářskou židli do 3 000 Kč", &v);
        assert_eq!((r.price_min, r.price_max), (None, Some(3_000 * 100)));
        assert_eq!(understand("pod 500 korun", &v).price_max, Some(500 * 100));
        assert_eq!(
            understand("levnější než 1500", &v).price_max,
            Some(1_500 * 100)
        );
        assert_eq!(
            understand("za 2 tis", &v).price_max,
            None,
            "no direction, no budget"
        );
        assert_eq!(
            understand("židle za 2500 Kč", &v).price_max,
            Some(2_500 * 100)
        );
        assert_eq!(
            understand("od 1000 do 2000", &v).price_min,
            Some(1_000 * 100)
        );
        assert_eq!(
            understand("od 1000 do 2000", &v).price_max,
            Some(2_000 * 100)
        );
        let around = understand("kolem 2 000", &v);
        assert_eq!(
            (around.price_min, around.price_max),
            (Some(1_600 * 100), Some(2_400 * 100))
        );
        assert_eq!(understand("under 3k", &v).price_max, Some(3_000 * 100));
    }

    #[test]
    fn brands_values_stock_and_comparisons() {
        let v = vocabulary();
        let r = understand("co je lepší, Bosch nebo Makita vrtačka?", &v);
        assert!(r.compare);
        assert_eq!(
            r.brands.iter().map(|b| b.0.as_str()).collect::<Vec<_>>(),
            ["bosch", "makita"]
        );
        assert_eq!(r.category.unwrap().0, "aku-vrtacky");
        let r = understand("černou dubovou židli skladem", &v);
        assert!(r.in_stock);
        let values: Vec<&str> = r.values.iter().map(|v| v.1.as_str()).collect();
        assert_eq!(values, ["cerna", "dub"]);
        assert!(
            understand("bunda Alpine Pro", &v)
                .brands
                .iter()
                .any(|b| b.0 == "alpine-pro")
        );
    }

    #[test]
    fn orders_and_the_rest() {
        let v = vocabulary();
        assert_eq!(understand("kde je moje objednávka?", &v).order, Some(None));
        assert_eq!(
            understand("stav objednávky 2026000123", &v).order,
            Some(Some("2026000123".into()))
        );
        assert_eq!(understand("where is my order", &v).order, Some(None));
        let r = understand("dětská hračka", &v);
        assert!(r.category.is_none());
        assert_eq!(r.rest, ["detska", "hracka"]);
        assert!(
            !understand("do 500 Kč", &v).narrows(),
            "a budget alone asks back"
        );
    }
}
