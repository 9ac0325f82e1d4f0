//! Demo pickup points for a shop without a Packeta key: 300 points in 30 Czech cities, with
//! real city centres, PSČ and street names, and the kinds of places Zásilkovna uses.

use sqlx::PgPool;

use super::PickupPoint;
use super::feed::Branch;

/// City, PSČ of its centre, latitude, longitude and streets of the centre.
const CITIES: [(&str, &str, f64, f64, [&str; 5]); 30] = [
    (
        "Praha",
        "110 00",
        50.0875,
        14.4213,
        [
            "Národní",
            "Vodičkova",
            "Vinohradská",
            "Milady Horákové",
            "Budějovická",
        ],
    ),
    (
        "Brno",
        "602 00",
        49.1951,
        16.6068,
        ["Masarykova", "Nádražní", "Kounicova", "Lidická", "Cejl"],
    ),
    (
        "Ostrava",
        "702 00",
        49.8347,
        18.2820,
        [
            "Nádražní",
            "28. října",
            "Českobratrská",
            "Sokolská třída",
            "Výstavní",
        ],
    ),
    (
        "Plzeň",
        "301 00",
        49.7475,
        13.3776,
        [
            "Americká",
            "Klatovská",
            "Slovanská",
            "Prešovská",
            "Sady Pětatřicátníků",
        ],
    ),
    (
        "Liberec",
        "460 01",
        50.7671,
        15.0562,
        ["Pražská", "Moskevská", "Jablonecká", "Švermova", "Husova"],
    ),
    (
        "Olomouc",
        "779 00",
        49.5938,
        17.2509,
        [
            "Třída Svobody",
            "Litovelská",
            "Palackého",
            "Masarykova třída",
            "Hodolanská",
        ],
    ),
    (
        "České Budějovice",
        "370 01",
        48.9745,
        14.4743,
        [
            "Lannova třída",
            "Pražská",
            "Husova",
            "Rudolfovská",
            "Mánesova",
        ],
    ),
    (
        "Hradec Králové",
        "500 02",
        50.2092,
        15.8328,
        [
            "Gočárova třída",
            "Třída Karla IV.",
            "Pospíšilova",
            "Hradecká",
            "Brněnská",
        ],
    ),
    (
        "Ústí nad Labem",
        "400 01",
        50.6607,
        14.0323,
        [
            "Hrnčířská",
            "Velká Hradební",
            "Masarykova",
            "Klíšská",
            "Hrbovická",
        ],
    ),
    (
        "Pardubice",
        "530 02",
        50.0343,
        15.7812,
        [
            "Třída Míru",
            "Palackého",
            "Štrossova",
            "Dašická",
            "Hradecká",
        ],
    ),
    (
        "Zlín",
        "760 01",
        49.2265,
        17.6707,
        [
            "Třída Tomáše Bati",
            "Štefánikova",
            "Dlouhá",
            "Bartošova",
            "Zarámí",
        ],
    ),
    (
        "Havířov",
        "736 01",
        49.7798,
        18.4369,
        [
            "Hlavní třída",
            "Dlouhá třída",
            "Národní třída",
            "Těšínská",
            "Na Nábřeží",
        ],
    ),
    (
        "Kladno",
        "272 01",
        50.1473,
        14.1029,
        [
            "T. G. Masaryka",
            "Kročehlavská",
            "Wilsonova",
            "Libušina",
            "Unhošťská",
        ],
    ),
    (
        "Most",
        "434 01",
        50.5030,
        13.6362,
        [
            "Moskevská",
            "Budovatelů",
            "Topolová",
            "Jiřího Wolkera",
            "Velebudická",
        ],
    ),
    (
        "Opava",
        "746 01",
        49.9387,
        17.9026,
        [
            "Ostrožná",
            "Krnovská",
            "Horní náměstí",
            "Nákladní",
            "Olomoucká",
        ],
    ),
    (
        "Frýdek-Místek",
        "738 01",
        49.6833,
        18.3500,
        [
            "Farní",
            "Hlavní třída",
            "Revoluční",
            "Palackého",
            "Ostravská",
        ],
    ),
    (
        "Jihlava",
        "586 01",
        49.3961,
        15.5912,
        [
            "Masarykovo náměstí",
            "Brněnská",
            "Znojemská",
            "Havlíčkova",
            "Žižkova",
        ],
    ),
    (
        "Karviná",
        "733 01",
        49.8540,
        18.5417,
        [
            "Masarykovo náměstí",
            "Třída Osvobození",
            "Čajkovského",
            "Fryštátská",
            "Nádražní",
        ],
    ),
    (
        "Teplice",
        "415 01",
        50.6404,
        13.8245,
        [
            "Masarykova třída",
            "Dubská",
            "Duchcovská",
            "U Nádraží",
            "Alejní",
        ],
    ),
    (
        "Děčín",
        "405 02",
        50.7726,
        14.2128,
        [
            "Masarykovo náměstí",
            "Teplická",
            "Podmokelská",
            "Litoměřická",
            "Husovo náměstí",
        ],
    ),
    (
        "Karlovy Vary",
        "360 01",
        50.2305,
        12.8711,
        [
            "T. G. Masaryka",
            "Dr. Engla",
            "Sokolovská",
            "Jaltská",
            "Chebská",
        ],
    ),
    (
        "Chomutov",
        "430 01",
        50.4605,
        13.4178,
        [
            "Palackého",
            "Husovo náměstí",
            "Kadaňská",
            "Školní pěšina",
            "Blatenská",
        ],
    ),
    (
        "Jablonec nad Nisou",
        "466 01",
        50.7243,
        15.1711,
        [
            "Komenského",
            "Podhorská",
            "Mírové náměstí",
            "Budovatelů",
            "Palackého",
        ],
    ),
    (
        "Mladá Boleslav",
        "293 01",
        50.4113,
        14.9032,
        [
            "Třída Václava Klementa",
            "Jičínská",
            "Palackého",
            "Laurinova",
            "Havlíčkova",
        ],
    ),
    (
        "Prostějov",
        "796 01",
        49.4719,
        17.1118,
        [
            "Plumlovská",
            "Olomoucká",
            "Palackého",
            "Vápenice",
            "Kostelecká",
        ],
    ),
    (
        "Přerov",
        "750 02",
        49.4551,
        17.4509,
        [
            "Čechova",
            "Palackého",
            "Komenského",
            "Tovačovského",
            "Kratochvílova",
        ],
    ),
    (
        "Česká Lípa",
        "470 01",
        50.6855,
        14.5376,
        ["Jiráskova", "Hrnčířská", "Barvířská", "Pražská", "Mánesova"],
    ),
    (
        "Třebíč",
        "674 01",
        49.2148,
        15.8817,
        [
            "Karlovo náměstí",
            "Bráfova",
            "Hrotovická",
            "Sucheniova",
            "Smila Osovského",
        ],
    ),
    (
        "Tábor",
        "390 02",
        49.4144,
        14.6578,
        [
            "Třída 9. května",
            "Budějovická",
            "Husova",
            "Chýnovská",
            "Soběslavská",
        ],
    ),
    (
        "Znojmo",
        "669 02",
        48.8555,
        16.0488,
        [
            "Pražská",
            "Vídeňská třída",
            "Obroková",
            "Rooseveltova",
            "Dukelských bojovníků",
        ],
    ),
];

/// Kinds of places that hold parcels, with their usual hours.
const PLACES: [(&str, &str); 6] = [
    ("Trafika", "Po–Pá 7:00–18:00, So 8:00–12:00"),
    ("Z-BOX", "Po–Ne 0:00–24:00"),
    ("Papírnictví", "Po–Pá 8:00–17:30"),
    ("Večerka", "Po–Ne 7:00–22:00"),
    ("Květinářství", "Po–Pá 9:00–18:00, So 9:00–12:00"),
    ("Drogerie", "Po–So 8:00–20:00"),
];

/// The demo points (deterministic).
pub(crate) fn points() -> Vec<Branch> {
    let mut points = Vec::with_capacity(CITIES.len() * 10);
    for (c, (city, zip, latitude, longitude, streets)) in CITIES.iter().enumerate() {
        for n in 0..10 {
            let (place, hours) = PLACES[(c + n) % PLACES.len()];
            let street = streets[n % streets.len()];
            let number = 3 + (c * 7 + n * 13) % 120;
            // Spread around the centre, within about 2.5 km.
            let step = n as f64 - 4.5;
            points.push(Branch {
                point: PickupPoint {
                    id: format!("{}", 10_000 + c * 100 + n),
                    name: format!("{city}, {street} {number} ({place})"),
                    street: format!("{street} {number}"),
                    city: (*city).to_owned(),
                    zip: (*zip).to_owned(),
                    latitude: latitude + step * 0.004,
                    longitude: longitude + (step * 1.7).sin() * 0.02,
                    opening_hours: hours.to_owned(),
                },
                active: true,
            });
        }
    }
    points
}

/// Loads the demo points into an empty table; `true` when it did.
pub(crate) async fn load_if_empty(pool: &PgPool) -> sqlx::Result<bool> {
    if !super::store::is_empty(pool).await? {
        return Ok(false);
    }
    let mut tx = pool.begin().await?;
    super::store::replace_all(&mut tx, &points()).await?;
    tx.commit().await?;
    Ok(true)
}
