//! The public catalog API against a real, freshly migrated and seeded PostgreSQL database.

use crate::common;

use common::{app, data, error_code, graphql};
use serde_json::{Value, json};
use sqlx::PgPool;

const LIST: &str = r#"query ($filter: ProductFilter, $sort: ProductSort! = RELEVANCE, $first: Int, $after: String, $last: Int, $before: String) {
  products(filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes { id slug name inStock priceRange { min { minorUnits } } category { slug breadcrumbs { slug } } brand { slug } }
  }
}"#;

fn slugs(products: &Value) -> Vec<String> {
    products["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["slug"].as_str().unwrap().to_owned())
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn category_filter_includes_subcategories(pool: PgPool) {
    let app = app(pool).await;
    let d = data(
        &app,
        LIST,
        json!({ "filter": { "category": "nabytek" }, "first": 100 }),
    )
    .await;
    let products = &d["products"];
    let count = products["totalCount"].as_i64().unwrap();
    assert!(count > 0);
    assert_eq!(products["nodes"].as_array().unwrap().len() as i64, count);
    for product in products["nodes"].as_array().unwrap() {
        let crumbs = &product["category"]["breadcrumbs"];
        assert_eq!(crumbs[0]["slug"], "nabytek", "{product}");
        assert_eq!(
            crumbs.as_array().unwrap().len(),
            3,
            "products sit in third-level categories"
        );
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn brand_price_and_stock_filters_hold_for_every_result(pool: PgPool) {
    let app = app(pool).await;
    let filter = json!({ "brands": ["eta", "bosch"], "price": { "min": 100000, "max": 2000000 }, "inStock": true });
    let d = data(&app, LIST, json!({ "filter": filter, "first": 100 })).await;
    let nodes = d["products"]["nodes"].as_array().unwrap();
    assert!(!nodes.is_empty());
    for p in nodes {
        assert!(["eta", "bosch"].contains(&p["brand"]["slug"].as_str().unwrap()));
        let price = p["priceRange"]["min"]["minorUnits"].as_i64().unwrap();
        assert!((100_000..=2_000_000).contains(&price), "{price}");
        assert_eq!(p["inStock"], true);
    }
}

/// The count of a select attribute's value in a listing's facets.
fn value_count(listing: &Value, attribute: &str, value: &str) -> i64 {
    let facets = listing["products"]["facets"]["attributes"]
        .as_array()
        .unwrap();
    let facet = facets.iter().find(|a| a["slug"] == attribute).unwrap();
    let values = facet["values"].as_array().unwrap();
    values.iter().find(|v| v["slug"] == value).unwrap()["count"]
        .as_i64()
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn attribute_filters_and_facets_agree(pool: PgPool) {
    let app = app(pool).await;
    let query = r#"query ($filter: ProductFilter) { products(filter: $filter, first: 100) {
        totalCount
        nodes { attributes { slug valueSlug number } }
        facets { attributes { slug kind values { slug count } min max } brands { brand { slug } count } priceRange { min { minorUnits } max { minorUnits } } }
    } }"#;
    let all = data(&app, query, json!({ "filter": { "category": "nabytek" } })).await;
    let dub = value_count(&all, "material", "dub");
    let buk = value_count(&all, "material", "buk");

    let filter =
        json!({ "category": "nabytek", "attributes": [{ "slug": "material", "values": ["dub"] }] });
    let chosen = data(&app, query, json!({ "filter": filter })).await;
    assert_eq!(
        chosen["products"]["totalCount"].as_i64().unwrap(),
        dub,
        "the facet count predicts the result"
    );
    for product in chosen["products"]["nodes"].as_array().unwrap() {
        let attrs = product["attributes"].as_array().unwrap();
        assert!(
            attrs
                .iter()
                .any(|a| a["slug"] == "material" && a["valueSlug"] == "dub")
        );
    }
    // The material facet ignores its own condition: the other values stay selectable with counts.
    let buk_after = value_count(&chosen, "material", "buk");
    assert_eq!(buk_after, buk);

    let filter = json!({ "category": "nabytek", "attributes": [{ "slug": "material", "values": ["dub", "buk"] }] });
    let both = data(&app, query, json!({ "filter": filter })).await;
    assert_eq!(both["products"]["totalCount"].as_i64().unwrap(), dub + buk);

    let filter = json!({ "category": "nabytek", "attributes": [{ "slug": "nosnost", "min": 150, "max": 200 }] });
    let heavy = data(&app, query, json!({ "filter": filter })).await;
    for product in heavy["products"]["nodes"].as_array().unwrap() {
        let load = product["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["slug"] == "nosnost")
            .unwrap()["number"]
            .as_f64()
            .unwrap();
        assert!((150.0..=200.0).contains(&load));
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn sorting_by_price_and_name(pool: PgPool) {
    let app = app(pool).await;
    let d = data(&app, LIST, json!({ "sort": "PRICE_ASC", "first": 50 })).await;
    let prices: Vec<i64> = d["products"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["priceRange"]["min"]["minorUnits"].as_i64().unwrap())
        .collect();
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "{prices:?}");
    let d = data(&app, LIST, json!({ "sort": "PRICE_DESC", "first": 50 })).await;
    let prices: Vec<i64> = d["products"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["priceRange"]["min"]["minorUnits"].as_i64().unwrap())
        .collect();
    assert!(prices.windows(2).all(|w| w[0] >= w[1]), "{prices:?}");
    let d = data(
        &app,
        "{ products(sort: NAME_ASC, first: 100) { nodes { name } } }",
        json!({}),
    )
    .await;
    let names: Vec<&str> = d["products"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    // Czech order: "Cyklistická…" before "Čaj…"-like names, and "Ch" after "H".
    let position = |prefix: &str| names.iter().position(|n| n.starts_with(prefix));
    assert!(position("Cyklistick") < position("Detektivka"));
    assert!(position("Kávovar") < position("Kuchařka"));
}

#[sqlx::test(migrations = "../migrations")]
async fn cursor_pages_cover_the_listing_without_overlap(pool: PgPool) {
    let app = app(pool).await;
    let filter = json!({ "category": "elektro" });
    let all = data(
        &app,
        LIST,
        json!({ "filter": filter, "first": 100, "sort": "NEWEST" }),
    )
    .await;
    let expected = slugs(&all["products"]);
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = data(
            &app,
            LIST,
            json!({ "filter": filter, "first": 7, "after": after, "sort": "NEWEST" }),
        )
        .await;
        seen.extend(slugs(&page["products"]));
        let info = &page["products"]["pageInfo"];
        if info["hasNextPage"] == false {
            break;
        }
        after = info["endCursor"].clone();
    }
    assert_eq!(seen, expected);
    // And backwards from the end of the second page.
    let second = data(&app, LIST, json!({ "filter": filter, "first": 7, "after": data(&app, LIST, json!({ "filter": filter, "first": 7, "sort": "NEWEST" })).await["products"]["pageInfo"]["endCursor"], "sort": "NEWEST" })).await;
    let back = data(&app, LIST, json!({ "filter": filter, "last": 7, "before": second["products"]["pageInfo"]["startCursor"], "sort": "NEWEST" })).await;
    assert_eq!(slugs(&back["products"]), expected[..7].to_vec());
    assert_eq!(back["products"]["pageInfo"]["hasPreviousPage"], false);
}

#[sqlx::test(migrations = "../migrations")]
async fn product_by_slug_and_by_node_id(pool: PgPool) {
    let app = app(pool).await;
    let listed = data(&app, LIST, json!({ "first": 1 })).await;
    let first = &listed["products"]["nodes"][0];
    let query = r#"query ($slug: String!) { product(slug: $slug) { id name ean weightGrams dimensions { lengthMm }
        variants { id sku title options { name value } price { amount minorUnits currency formatted } priceWithoutVat { minorUnits } vat { minorUnits } vatRate quantityAvailable }
        images { url altText } featuredImage { url } } }"#;
    let d = data(&app, query, json!({ "slug": first["slug"] })).await;
    let product = &d["product"];
    assert_eq!(product["id"], first["id"]);
    assert_eq!(product["ean"].as_str().unwrap().len(), 13);
    let variant = &product["variants"][0];
    let gross = variant["price"]["minorUnits"].as_i64().unwrap();
    assert_eq!(
        variant["priceWithoutVat"]["minorUnits"].as_i64().unwrap()
            + variant["vat"]["minorUnits"].as_i64().unwrap(),
        gross
    );
    assert_eq!(variant["price"]["currency"], "CZK");
    assert!(
        variant["price"]["formatted"]
            .as_str()
            .unwrap()
            .ends_with("\u{a0}Kč")
    );
    assert_eq!(product["images"].as_array().unwrap().len(), 3);

    let node = data(
        &app,
        "query ($id: ID!) { node(id: $id) { id ... on Product { slug } } }",
        json!({ "id": first["id"] }),
    )
    .await;
    assert_eq!(node["node"]["slug"], first["slug"]);
    let variant_node = data(
        &app,
        "query ($id: ID!) { node(id: $id) { ... on ProductVariant { sku product { slug } } } }",
        json!({ "id": variant["id"] }),
    )
    .await;
    assert_eq!(variant_node["node"]["product"]["slug"], first["slug"]);
    let nodes = data(
        &app,
        "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        json!({ "ids": [first["id"], variant["id"]] }),
    )
    .await;
    assert_eq!(nodes["nodes"].as_array().unwrap().len(), 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn category_tree_breadcrumbs_and_children(pool: PgPool) {
    let app = app(pool).await;
    let d = data(
        &app,
        "{ categories { slug level children { slug level children { slug level } } } }",
        json!({}),
    )
    .await;
    let tree = d["categories"].as_array().unwrap();
    assert_eq!(tree.len(), 6);
    let leaves: usize = tree
        .iter()
        .flat_map(|t| t["children"].as_array().unwrap())
        .map(|c| c["children"].as_array().unwrap().len())
        .sum();
    assert!(
        leaves >= 15,
        "at least 15 categories hold products, got {leaves}"
    );
    let d = data(&app, r#"{ category(slug: "kavovary") { name level breadcrumbs { slug } parent { slug } children { slug } } }"#, json!({})).await;
    let crumbs: Vec<&str> = d["category"]["breadcrumbs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["slug"].as_str().unwrap())
        .collect();
    assert_eq!(crumbs, ["elektro", "kuchynske-spotrebice", "kavovary"]);
    assert_eq!(d["category"]["name"], "Kávovary");
    assert_eq!(d["category"]["parent"]["slug"], "kuchynske-spotrebice");
}

#[sqlx::test(migrations = "../migrations")]
async fn search_ignores_diacritics_and_forgives_typos(pool: PgPool) {
    let app = app(pool).await;
    let query = r#"query ($q: String!) { search(query: $q, first: 50) { totalCount correctedQuery nodes { name } } }"#;
    let plain = data(&app, query, json!({ "q": "zidle" })).await;
    let nodes = plain["search"]["nodes"].as_array().unwrap();
    assert!(!nodes.is_empty());
    assert!(
        nodes
            .iter()
            .all(|n| n["name"].as_str().unwrap().to_lowercase().contains("židl")),
        "{plain}"
    );
    assert_eq!(plain["search"]["correctedQuery"], Value::Null);

    let accented = data(&app, query, json!({ "q": "ŽIDLE" })).await;
    assert_eq!(
        accented["search"]["totalCount"],
        plain["search"]["totalCount"]
    );

    let typo = data(&app, query, json!({ "q": "zidel" })).await;
    assert_eq!(typo["search"]["totalCount"], plain["search"]["totalCount"]);
    assert_eq!(typo["search"]["correctedQuery"], "zidle");

    let two_words = data(&app, query, json!({ "q": "kávovar eta" })).await;
    for n in two_words["search"]["nodes"].as_array().unwrap() {
        let name = n["name"].as_str().unwrap();
        assert!(name.contains("Kávovar") && name.contains("Eta"), "{name}");
    }

    let nothing = data(&app, query, json!({ "q": "xyzzyqwerty" })).await;
    assert_eq!(nothing["search"]["totalCount"], 0);

    let filtered = data(
        &app,
        r#"{ search(query: "kava", filter: { category: "romany" }) { totalCount } }"#,
        json!({}),
    )
    .await;
    assert_eq!(
        filtered["search"]["totalCount"], 0,
        "the filter applies to search results"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn suggestions_offer_products_and_categories(pool: PgPool) {
    let app = app(pool).await;
    let d = data(&app, r#"{ searchSuggestions(prefix: "kav", first: 5) { products { name } categories { slug } } }"#, json!({})).await;
    let s = &d["searchSuggestions"];
    assert!(!s["products"].as_array().unwrap().is_empty());
    assert!(s["products"].as_array().unwrap().len() <= 5);
    let categories: Vec<&str> = s["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["slug"].as_str().unwrap())
        .collect();
    assert!(
        categories.contains(&"kavovary") && categories.contains(&"kava-a-caj"),
        "{categories:?}"
    );
    assert!(
        !categories.contains(&"cyklisticke-rukavice"),
        "matches word starts, not the middle of words"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_things_are_not_found(pool: PgPool) {
    let app = app(pool).await;
    for query in [
        r#"{ product(slug: "neni-takovy") { name } }"#,
        r#"{ category(slug: "neni-takova") { name } }"#,
        r#"{ products(filter: { category: "neni-takova" }) { totalCount } }"#,
    ] {
        assert_eq!(
            error_code(&app, query, json!({})).await,
            "NOT_FOUND",
            "{query}"
        );
    }
    // A well-formed ID of nothing.
    let missing = "UHJvZHVjdDo5OTk5OTk5"; // Product:9999999
    assert_eq!(
        error_code(
            &app,
            "query ($id: ID!) { node(id: $id) { id } }",
            json!({ "id": missing })
        )
        .await,
        "NOT_FOUND"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_input_is_refused_with_clear_codes(pool: PgPool) {
    let app = app(pool).await;
    let cases = [
        r#"{ products(first: 101) { totalCount } }"#,
        r#"{ products(first: -1) { totalCount } }"#,
        r#"{ products(after: "not-a-cursor") { totalCount } }"#,
        r#"{ products(last: 5) { totalCount } }"#,
        r#"{ products(filter: { category: "Not A Slug!" }) { totalCount } }"#,
        r#"{ products(filter: { price: { min: 500, max: 100 } }) { totalCount } }"#,
        r#"{ products(filter: { attributes: [{ slug: "barva" }] }) { totalCount } }"#,
        r#"{ products(filter: { attributes: [{ slug: "vykon", min: 10, max: 1 }] }) { totalCount } }"#,
        r#"{ node(id: "%%%") { id } }"#,
        r#"{ search(query: "   ") { totalCount } }"#,
        r#"{ searchSuggestions(prefix: "ab", first: 500) { products { name } } }"#,
        r#"{ products(sort: CHEAPEST) { totalCount } }"#,
        r#"{ nosuchfield }"#,
    ];
    for query in cases {
        assert_eq!(
            error_code(&app, query, json!({})).await,
            "BAD_USER_INPUT",
            "{query}"
        );
    }
    let long = "a".repeat(300);
    assert_eq!(
        error_code(
            &app,
            "query ($q: String!) { search(query: $q) { totalCount } }",
            json!({ "q": long })
        )
        .await,
        "BAD_USER_INPUT"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn queries_beyond_the_limits_are_refused_before_they_run(pool: PgPool) {
    let app = app(pool).await;
    // Depth: parents of parents far beyond the limit.
    let deep = format!(
        "{{ category(slug: \"kavovary\") {}{{ slug }}{} }}",
        "{ parent ".repeat(14),
        " }".repeat(14)
    );
    let response = graphql(&app, &deep, json!({})).await;
    assert_eq!(
        response["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{response}"
    );
    assert!(
        response["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("nested too deep"),
        "{response}"
    );
    assert!(response.get("data").is_none_or(Value::is_null));
    // Complexity: the largest pages with many nested lists, many times over (aliases).
    let heavy = (0..40)
        .map(|i| format!("p{i}: products(first: 100) {{ nodes {{ variants {{ sku }} images {{ url }} attributes {{ value }} }} }}"))
        .collect::<Vec<_>>()
        .join(" ");
    let response = graphql(&app, &format!("{{ {heavy} }}"), json!({})).await;
    assert!(
        response["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("too complex"),
        "{response}"
    );
}

/// A page's products, prices, variants, images and brands are resolved in one pass over their
/// fields, fragments on their own type walked in place; with directives, fragments on an
/// interface or a key asked twice they go through the engine. Both must answer the same, aliases,
/// `__typename`, repeated keys and the variant's way back to its product included.
#[sqlx::test(migrations = "../migrations")]
async fn a_page_answers_the_same_with_and_without_fragments(pool: PgPool) {
    let app = app(pool).await;
    let plain = r#"{ products(first: 4, sort: PRICE_DESC) { nodes {
        id
        brand { __typename name slug }
        priceRange { min { formatted } top: max { amount formatted } }
        featuredImage { url altText }
        images { url(width: 640) altText }
        variants { __typename id sku title cost: price { minorUnits formatted }
                   compareAtPrice { formatted } quantityAvailable product { slug } }
    } } }"#;
    let fragments = r#"{ products(first: 4, sort: PRICE_DESC) { nodes { ...Card } } }
    fragment Card on Product {
        ... on Node { id }
        brand { ... on Brand { __typename name } slug }
        priceRange { min { ...Formatted } top: max { amount ...Formatted } }
        featuredImage { ... @include(if: true) { url altText } }
        images { url(width: 640) ... on ProductImage { altText } }
        variants { __typename id ...Variant cost: price { minorUnits } cost: price { formatted }
                   compareAtPrice { ...Formatted } quantityAvailable product { slug } }
    }
    fragment Formatted on Money { formatted }
    fragment Variant on ProductVariant { sku title }"#;
    let one_pass = data(&app, plain, json!({})).await;
    let engine = data(&app, fragments, json!({})).await;
    assert_eq!(one_pass, engine);
    let variant = &one_pass["products"]["nodes"][0]["variants"][0];
    assert_eq!(variant["__typename"], "ProductVariant");
    assert!(
        variant["cost"]["formatted"]
            .as_str()
            .unwrap()
            .ends_with("Kč")
    );
    assert!(variant["product"]["slug"].is_string());
    let range = &one_pass["products"]["nodes"][0]["priceRange"];
    assert!(range["top"]["amount"].is_string() && range["min"]["formatted"].is_string());
}
