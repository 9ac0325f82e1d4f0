//! The demo shop's catalog: a Czech department store in six departments.

/// A top-level department: its categories, brands, attributes and how its variants differ.
pub(super) struct Department {
    pub slug: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub categories: &'static [CategorySpec],
    pub brands: &'static [&'static str],
    pub vat_rate: i16,
    /// Attributes: (slug, values) for select attributes; number attributes come from `numbers`.
    pub selects: &'static [(&'static str, &'static [&'static str])],
    /// Number attributes: (slug, lowest, highest, step).
    pub numbers: &'static [(&'static str, i32, i32, i32)],
    /// Text attributes: (slug, values to pick from).
    pub texts: &'static [(&'static str, &'static [&'static str])],
    /// Variant option: name and the values variants pick from.
    pub option: (&'static str, &'static [&'static str]),
    /// How many values of `option` a product's variants take: from, to.
    pub variants: (usize, usize),
}

/// A category with its subcategories; products go into the leaves.
pub(super) struct CategorySpec {
    pub slug: &'static str,
    pub name: &'static str,
    pub leaves: &'static [Leaf],
}

/// A leaf category: what its products are called and what they cost (CZK).
pub(super) struct Leaf {
    pub slug: &'static str,
    pub name: &'static str,
    /// The product noun, e.g. `Jídelní židle`; also the image label.
    pub noun: &'static str,
    pub price: (i64, i64),
}

/// An attribute definition: slug, name, kind and unit.
pub(super) const ATTRIBUTES: &[(&str, &str, &str, Option<&str>)] = &[
    ("material", "Materiál", "SELECT", None),
    ("barva", "Barva", "SELECT", None),
    ("nosnost", "Nosnost", "NUMBER", Some("kg")),
    ("vykon", "Výkon", "NUMBER", Some("W")),
    ("energeticka-trida", "Energetická třída", "SELECT", None),
    ("urceni", "Určení", "SELECT", None),
    ("napajeni", "Napájení", "SELECT", None),
    ("hmotnost", "Hmotnost", "NUMBER", Some("g")),
    ("puvod", "Země původu", "SELECT", None),
    ("vazba", "Vazba", "SELECT", None),
    ("pocet-stran", "Počet stran", "NUMBER", None),
    ("autor", "Autor", "TEXT", None),
    ("zaruka", "Záruka", "TEXT", None),
];

/// Model names appended to product names.
pub(super) const MODELS: &[&str] = &[
    "Verona",
    "Oslo",
    "Brno",
    "Lipno",
    "Kampa",
    "Vltava",
    "Šumava",
    "Bezděz",
    "Říp",
    "Sněžka",
    "Orlík",
    "Javor",
    "Jasan",
    "Modřín",
    "Třešeň",
    "Ještěd",
    "Radhošť",
    "Lysá",
    "Úpa",
    "Jizera",
    "Ohře",
    "Sázava",
];

pub(super) const DEPARTMENTS: &[Department] = &[
    Department {
        slug: "nabytek",
        name: "Nábytek",
        description: "Nábytek do bytu, kanceláře i na chalupu – z masivu, kovu i čalouněný.",
        categories: &[
            CategorySpec {
                slug: "zidle-a-kresla",
                name: "Židle a křesla",
                leaves: &[
                    Leaf {
                        slug: "jidelni-zidle",
                        name: "Jídelní židle",
                        noun: "Jídelní židle",
                        price: (890, 4990),
                    },
                    Leaf {
                        slug: "kancelarske-zidle",
                        name: "Kancelářské židle",
                        noun: "Kancelářská židle",
                        price: (1990, 12990),
                    },
                    Leaf {
                        slug: "kresla",
                        name: "Křesla",
                        noun: "Křeslo",
                        price: (3490, 24990),
                    },
                ],
            },
            CategorySpec {
                slug: "stoly",
                name: "Stoly",
                leaves: &[
                    Leaf {
                        slug: "jidelni-stoly",
                        name: "Jídelní stoly",
                        noun: "Jídelní stůl",
                        price: (3990, 29990),
                    },
                    Leaf {
                        slug: "psaci-stoly",
                        name: "Psací stoly",
                        noun: "Psací stůl",
                        price: (2490, 15990),
                    },
                ],
            },
            CategorySpec {
                slug: "ulozny-nabytek",
                name: "Úložný nábytek",
                leaves: &[
                    Leaf {
                        slug: "komody",
                        name: "Komody",
                        noun: "Komoda",
                        price: (2990, 18990),
                    },
                    Leaf {
                        slug: "knihovny",
                        name: "Knihovny",
                        noun: "Knihovna",
                        price: (1990, 14990),
                    },
                ],
            },
        ],
        brands: &["Ton", "Jitona", "Domestav", "Hanák"],
        vat_rate: 21,
        selects: &[("material", &["Dub", "Buk", "Ořech", "Kov", "Plast"])],
        numbers: &[("nosnost", 80, 200, 10)],
        texts: &[("zaruka", &["2 roky", "5 let"])],
        option: ("Barva", &["Přírodní", "Černá", "Bílá", "Šedá"]),
        variants: (1, 3),
    },
    Department {
        slug: "elektro",
        name: "Elektro",
        description: "Spotřebiče do kuchyně a domácnosti od ověřených výrobců.",
        categories: &[
            CategorySpec {
                slug: "kuchynske-spotrebice",
                name: "Kuchyňské spotřebiče",
                leaves: &[
                    Leaf {
                        slug: "rychlovarne-konvice",
                        name: "Rychlovarné konvice",
                        noun: "Rychlovarná konvice",
                        price: (490, 2990),
                    },
                    Leaf {
                        slug: "kavovary",
                        name: "Kávovary",
                        noun: "Kávovar",
                        price: (2490, 24990),
                    },
                    Leaf {
                        slug: "mixery",
                        name: "Mixéry",
                        noun: "Mixér",
                        price: (690, 5990),
                    },
                ],
            },
            CategorySpec {
                slug: "vysavace",
                name: "Vysavače",
                leaves: &[
                    Leaf {
                        slug: "tycove-vysavace",
                        name: "Tyčové vysavače",
                        noun: "Tyčový vysavač",
                        price: (2990, 16990),
                    },
                    Leaf {
                        slug: "roboticke-vysavace",
                        name: "Robotické vysavače",
                        noun: "Robotický vysavač",
                        price: (4990, 29990),
                    },
                ],
            },
        ],
        brands: &["Eta", "Concept", "Sencor", "Bosch", "Philips"],
        vat_rate: 21,
        selects: &[
            ("energeticka-trida", &["A", "B", "C", "D"]),
            ("barva", &["Černá", "Bílá", "Nerez", "Červená"]),
        ],
        numbers: &[("vykon", 300, 2400, 100)],
        texts: &[("zaruka", &["2 roky", "3 roky"])],
        option: ("Provedení", &["Standard", "Premium"]),
        variants: (1, 2),
    },
    Department {
        slug: "sport",
        name: "Sport",
        description: "Vybavení pro cyklisty a běžce – od helmy po boty.",
        categories: &[
            CategorySpec {
                slug: "cyklistika",
                name: "Cyklistika",
                leaves: &[
                    Leaf {
                        slug: "cyklisticke-helmy",
                        name: "Cyklistické helmy",
                        noun: "Cyklistická helma",
                        price: (790, 4990),
                    },
                    Leaf {
                        slug: "cyklisticke-rukavice",
                        name: "Cyklistické rukavice",
                        noun: "Cyklistické rukavice",
                        price: (290, 1490),
                    },
                ],
            },
            CategorySpec {
                slug: "beh",
                name: "Běh",
                leaves: &[
                    Leaf {
                        slug: "bezecke-boty",
                        name: "Běžecké boty",
                        noun: "Běžecké boty",
                        price: (1490, 4990),
                    },
                    Leaf {
                        slug: "bezecka-tricka",
                        name: "Běžecká trička",
                        noun: "Běžecké tričko",
                        price: (390, 1690),
                    },
                ],
            },
        ],
        brands: &["Kellys", "Alpine Pro", "Husky", "Salomon"],
        vat_rate: 21,
        selects: &[
            ("urceni", &["Pánské", "Dámské", "Unisex"]),
            ("material", &["Polyester", "Merino", "Nylon"]),
        ],
        numbers: &[("hmotnost", 150, 900, 10)],
        texts: &[],
        option: ("Velikost", &["S", "M", "L", "XL"]),
        variants: (2, 4),
    },
    Department {
        slug: "dum-a-zahrada",
        name: "Dům a zahrada",
        description: "Nářadí do dílny i na zahradu, které vydrží.",
        categories: &[
            CategorySpec {
                slug: "zahradni-naradi",
                name: "Zahradní nářadí",
                leaves: &[
                    Leaf {
                        slug: "ryce-a-lopaty",
                        name: "Rýče a lopaty",
                        noun: "Rýč",
                        price: (390, 1990),
                    },
                    Leaf {
                        slug: "zahradni-nuzky",
                        name: "Zahradní nůžky",
                        noun: "Zahradní nůžky",
                        price: (290, 2490),
                    },
                ],
            },
            CategorySpec {
                slug: "dilna",
                name: "Dílna",
                leaves: &[
                    Leaf {
                        slug: "aku-vrtacky",
                        name: "Aku vrtačky",
                        noun: "Aku vrtačka",
                        price: (1990, 8990),
                    },
                    Leaf {
                        slug: "rucni-naradi",
                        name: "Ruční nářadí",
                        noun: "Sada nářadí",
                        price: (490, 3990),
                    },
                ],
            },
        ],
        brands: &["Fiskars", "Makita", "Narex", "Extol"],
        vat_rate: 21,
        selects: &[("napajeni", &["Aku", "Síťové", "Ruční"])],
        numbers: &[("hmotnost", 300, 3500, 50)],
        texts: &[("zaruka", &["2 roky", "3 roky", "5 let"])],
        option: ("Balení", &["Samostatně", "Se sadou"]),
        variants: (1, 2),
    },
    Department {
        slug: "potraviny",
        name: "Potraviny",
        description: "Káva, čaj a trvanlivé dobroty z Česka i ze světa.",
        categories: &[
            CategorySpec {
                slug: "kava-a-caj",
                name: "Káva a čaj",
                leaves: &[
                    Leaf {
                        slug: "zrnkova-kava",
                        name: "Zrnková káva",
                        noun: "Zrnková káva",
                        price: (189, 890),
                    },
                    Leaf {
                        slug: "sypany-caj",
                        name: "Sypaný čaj",
                        noun: "Sypaný čaj",
                        price: (89, 490),
                    },
                ],
            },
            CategorySpec {
                slug: "trvanlive-potraviny",
                name: "Trvanlivé potraviny",
                leaves: &[
                    Leaf {
                        slug: "testoviny",
                        name: "Těstoviny",
                        noun: "Těstoviny",
                        price: (39, 189),
                    },
                    Leaf {
                        slug: "olivove-oleje",
                        name: "Olivové oleje",
                        noun: "Olivový olej",
                        price: (149, 690),
                    },
                ],
            },
        ],
        brands: &["Jihlavanka", "Lavazza", "Zlatý Dukát", "Barilla", "Minerva"],
        vat_rate: 12,
        selects: &[(
            "puvod",
            &["Brazílie", "Etiopie", "Itálie", "Řecko", "Česko"],
        )],
        numbers: &[("hmotnost", 250, 1000, 250)],
        texts: &[],
        option: ("Balení", &["250 g", "500 g", "1 kg"]),
        variants: (1, 3),
    },
    Department {
        slug: "knihy",
        name: "Knihy",
        description: "Romány, detektivky, kuchařky a cestopisy českých i světových autorů.",
        categories: &[
            CategorySpec {
                slug: "beletrie",
                name: "Beletrie",
                leaves: &[
                    Leaf {
                        slug: "romany",
                        name: "Romány",
                        noun: "Román",
                        price: (249, 599),
                    },
                    Leaf {
                        slug: "detektivky",
                        name: "Detektivky",
                        noun: "Detektivka",
                        price: (199, 499),
                    },
                ],
            },
            CategorySpec {
                slug: "naucna-literatura",
                name: "Naučná literatura",
                leaves: &[
                    Leaf {
                        slug: "kucharky",
                        name: "Kuchařky",
                        noun: "Kuchařka",
                        price: (299, 899),
                    },
                    Leaf {
                        slug: "cestopisy",
                        name: "Cestopisy",
                        noun: "Cestopis",
                        price: (249, 699),
                    },
                ],
            },
        ],
        brands: &["Argo", "Albatros", "Host", "Euromedia"],
        vat_rate: 0,
        selects: &[("vazba", &["Pevná", "Brožovaná"])],
        numbers: &[("pocet-stran", 120, 640, 8)],
        texts: &[(
            "autor",
            &[
                "Alena Mornštajnová",
                "Jiří Hájíček",
                "Michal Viewegh",
                "Petra Dvořáková",
                "Jan Novák",
            ],
        )],
        option: ("Formát", &["Kniha"]),
        variants: (1, 1),
    },
];
