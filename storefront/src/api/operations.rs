//! The operations, generated from `graphql/*.graphql` and checked against `../schema.graphql`.

use graphql_client::GraphQLQuery;

/// Header and footer navigation: the category tree.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/navigation.graphql",
    response_derives = "Debug, Clone, PartialEq, Serialize"
)]
pub struct Navigation;

/// The mini-cart's total after an island changed the cart.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/navigation.graphql",
    response_derives = "Debug, Clone, PartialEq, Serialize"
)]
pub struct MiniCartTotals;

/// Home page: featured categories and products.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/catalog.graphql",
    response_derives = "Debug, Clone, PartialEq, Serialize"
)]
pub struct Home;

/// A category page or search results.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/catalog.graphql",
    response_derives = "Debug, Clone, PartialEq, Serialize",
    variables_derives = "Debug, Clone, PartialEq"
)]
pub struct Listing;

/// In-stock products of a category, beside a product.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/catalog.graphql",
    response_derives = "Debug, Clone, PartialEq, Serialize"
)]
pub struct Related;

/// Featured categories, offered when a search finds nothing.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/catalog.graphql",
    response_derives = "Debug, Clone, PartialEq, Serialize"
)]
pub struct PopularCategories;

/// The product page.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/product.graphql",
    response_derives = "Debug, Clone, PartialEq, Serialize"
)]
pub struct ProductPage;

/// Search type-ahead.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/suggestions.graphql",
    response_derives = "Debug, Clone, PartialEq, Serialize"
)]
pub struct Suggestions;

/// Generates the typed operations of one `graphql/*.graphql` file, one struct each.
macro_rules! operations {
    ($path:tt: $($(#[$doc:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$doc])*
        #[derive(GraphQLQuery)]
        #[graphql(
            schema_path = "../schema.graphql",
            query_path = $path,
            response_derives = "Debug, Clone, PartialEq, Serialize"
        )]
        pub struct $name;
    )+};
}

operations!("graphql/account.graphql":
    /// The signed-in customer with addresses and orders.
    Me,
    /// Sign-in (the server sets the session cookies).
    Login,
    /// Registration.
    Register,
    /// Sign-out (the server clears the cookies).
    Logout,
    /// Asks for a password-reset e-mail.
    ResetRequest,
    /// Sets a new password with the e-mailed token.
    Reset,
    /// Saves the profile.
    UpdateProfile,
    /// Changes the password.
    ChangePassword,
    /// Adds an address.
    CreateAddress,
    /// Changes an address.
    UpdateAddress,
    /// Deletes an address.
    DeleteAddress,
);

operations!("graphql/pickup_points.graphql":
    /// Zásilkovna pickup points for the picker.
    PickupPoints,
);

operations!("graphql/reviews.graphql":
    /// Writes a review.
    WriteReview,
);

operations!("graphql/watchdog.graphql":
    /// Sets up a watch.
    WatchCreate,
    /// The customer's watches.
    MyWatches,
    /// Ends a customer's watch.
    CancelWatch,
);

operations!("graphql/shop.graphql":
    /// The company behind the shop.
    ShopContact,
);

operations!("graphql/cart.graphql":
    /// The visitor's cart.
    CurrentCart,
    /// The checkout of a cart.
    Checkout,
    /// Adds to the visitor's cart.
    AddToCart,
    /// Saves checkout choices.
    UpdateCheckout,
    /// Places the order.
    PlaceOrder,
);

operations!("graphql/assistant.graphql":
    /// A conversation with the assistant.
    AssistantConversation,
    /// Sends a message to the assistant.
    AssistantSend,
    /// The assistant's reply, live.
    AssistantReply,
);

operations!("graphql/orders.graphql":
    /// An order's page.
    OrderPage,
    /// An order's status changes, live.
    OrderStatus,
    /// Cancels an order.
    CancelOrder,
    /// Pays an unpaid order by card or switches it to a transfer.
    PayOrder,
);

/// `DateTime` values arrive as RFC 3339 text.
type DateTime = String;
/// `NaiveDate` values (a day, `2026-12-04`) arrive as ISO 8601 text.
type NaiveDate = String;
