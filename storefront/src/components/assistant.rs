//! The shopping assistant's panel (an island on every page): a conversation kept across pages
//! and reloads (its id in the browser's storage), replies streamed as they are written, and
//! the products they name as cards with their live price and "Do košíku".

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{NETWORK_ERROR, add_variant, submit};
use crate::api::{AssistantSend, assistant_send};

/// A message as the panel shows it (the same shape whichever operation brought it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Shown {
    id: String,
    role: String,
    text: String,
    products: Vec<ShownProduct>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ShownProduct {
    slug: String,
    name: String,
    images: Vec<ShownImage>,
    price_range: ShownPrice,
    variants: Vec<ShownVariant>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ShownImage {
    url: String,
    alt_text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ShownPrice {
    min: ShownMoney,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ShownMoney {
    formatted: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ShownVariant {
    id: String,
    available_for_sale: bool,
}

/// A message of any operation's generated type, as shown.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn shown(message: &impl Serialize) -> Option<Shown> {
    serde_json::from_value(serde_json::to_value(message).ok()?).ok()
}

/// Where the browser keeps the conversation's id.
#[cfg(feature = "hydrate")]
const STORAGE_KEY: &str = "lipa-assistant";

/// The "Poradce" button and panel.
#[island]
pub fn AssistantPanel() -> impl IntoView {
    let open = RwSignal::new(false);
    let messages = RwSignal::new(Vec::<Shown>::new());
    let streaming = RwSignal::new(String::new());
    let activity = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let conversation = RwSignal::new(None::<String>);
    let draft = RwSignal::new(String::new());
    let loaded = RwSignal::new(false);
    let toggle = move |_| {
        open.update(|o| *o = !*o);
        if open.get_untracked() && !loaded.get_untracked() {
            loaded.set(true);
            restore(conversation, messages);
        }
    };
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let message = draft.get_untracked().trim().to_owned();
        if message.is_empty() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        draft.set(String::new());
        let user = Shown {
            id: String::new(),
            role: "USER".into(),
            text: message.clone(),
            products: vec![],
        };
        messages.update(|list| list.push(user));
        let input = assistant_send::AssistantSendInput {
            conversation_id: conversation.get_untracked(),
            message,
            cart_id: None,
        };
        submit::<AssistantSend>(assistant_send::Variables { input }, move |result| {
            let sent = result.map(|data| data.assistant_send);
            match sent {
                Ok(assistant_send::AssistantSendAssistantSend {
                    conversation: Some(c),
                    ..
                }) => {
                    remember(&c.id);
                    conversation.set(Some(c.id.clone()));
                    listen(c.id, messages, streaming, activity, busy);
                }
                Ok(payload) => {
                    busy.set(false);
                    let message = payload.user_errors.into_iter().next().map(|e| e.message);
                    error.set(Some(message.unwrap_or_else(|| NETWORK_ERROR.into())));
                }
                Err(_) => {
                    busy.set(false);
                    error.set(Some(NETWORK_ERROR.into()));
                }
            }
        });
    };
    view! {
        <button class="assistant__open" id="asistent" type="button" data-testid="assistant-open" aria-expanded=move || open.get().to_string() on:click=toggle>
            "Poradce"
        </button>
        <Show when=move || open.get()>
            <section class="assistant" aria-label="Nákupní poradce" data-testid="assistant">
                <header class="assistant__head">
                    <strong>"Nákupní poradce"</strong>
                    <button class="assistant__close" type="button" aria-label="Zavřít" on:click=toggle>"×"</button>
                </header>
                <ol class="assistant__messages" aria-live="polite">
                    <li class="assistant__hint">"Zeptejte se třeba: „kancelářská židle do 3 000 Kč“ nebo „kde je moje objednávka?“"</li>
                    <For each=move || messages.get() key=|m| (m.id.clone(), m.text.clone()) let:message>
                        <MessageView message/>
                    </For>
                    {move || activity.get().map(|a| view! { <li class="assistant__activity">{a}</li> })}
                    {move || (!streaming.get().is_empty()).then(|| view! { <li class="assistant__message assistant__message--assistant">{streaming.get()}</li> })}
                </ol>
                {move || error.get().map(|message| view! { <p class="form__error" role="alert">{message}</p> })}
                <form class="assistant__form" on:submit=send>
                    <input name="message" type="text" maxlength="1000" autocomplete="off" placeholder="Co hledáte?"
                        data-testid="assistant-input" aria-label="Zpráva poradci"
                        prop:value=move || draft.get() on:input=move |ev| draft.set(event_target_value(&ev))/>
                    <button class="button" type="submit" data-testid="assistant-send" disabled=move || busy.get()>"Odeslat"</button>
                </form>
            </section>
        </Show>
    }
}

#[component]
fn MessageView(message: Shown) -> impl IntoView {
    let mine = message.role == "USER";
    view! {
        <li class=if mine { "assistant__message assistant__message--user" } else { "assistant__message assistant__message--assistant" }
            data-testid=if mine { "assistant-question" } else { "assistant-answer" }>
            <p class="assistant__text">{message.text}</p>
            <div class="assistant__products">
                {message.products.into_iter().map(|product| view! { <ProductChip product/> }).collect_view()}
            </div>
        </li>
    }
}

#[component]
fn ProductChip(product: ShownProduct) -> impl IntoView {
    let state = RwSignal::new(None::<Result<(), String>>);
    let variant = product
        .variants
        .iter()
        .find(|v| v.available_for_sale)
        .map(|v| v.id.clone());
    let add = move |_| {
        if let Some(variant) = variant.clone() {
            leptos::task::spawn_local(
                async move { state.set(Some(add_variant(variant, 1).await)) },
            );
        }
    };
    let image = product.images.first().cloned();
    view! {
        <div class="assistant__product" data-testid="assistant-product">
            {image.map(|i| view! { <img src=i.url alt=i.alt_text width="56" height="56" loading="lazy"/> })}
            <a href=format!("/p/{}", product.slug)>{product.name}</a>
            <span class="assistant__price" data-testid="assistant-price">{product.price_range.min.formatted}</span>
            <button class="button button--small" type="button" data-testid="assistant-add" on:click=add>"Do košíku"</button>
            {move || match state.get() {
                Some(Ok(())) => Some(view! { <span class="added">"Přidáno"</span> }.into_any()),
                Some(Err(message)) => Some(view! { <span class="form__error">{message}</span> }.into_any()),
                None => None,
            }}
        </div>
    }
}

/// Loads the browser's conversation, if it has one.
fn restore(conversation: RwSignal<Option<String>>, messages: RwSignal<Vec<Shown>>) {
    #[cfg(feature = "hydrate")]
    {
        use crate::api::{AssistantConversation, assistant_conversation};
        let Some(id) = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()) else {
            return;
        };
        conversation.set(Some(id.clone()));
        submit::<AssistantConversation>(assistant_conversation::Variables { id }, move |result| {
            match result {
                Ok(data) => messages.set(
                    data.assistant_conversation
                        .messages
                        .iter()
                        .filter_map(shown)
                        .collect(),
                ),
                Err(_) => {
                    conversation.set(None);
                    if let Some(storage) = storage() {
                        let _ = storage.remove_item(STORAGE_KEY);
                    }
                }
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (conversation, messages);
}

fn remember(id: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(storage) = storage() {
        let _ = storage.set_item(STORAGE_KEY, id);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

#[cfg(feature = "hydrate")]
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Streams the reply into the panel.
fn listen(
    id: String,
    messages: RwSignal<Vec<Shown>>,
    streaming: RwSignal<String>,
    activity: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
) {
    #[cfg(feature = "hydrate")]
    {
        use crate::api::{AssistantReply, assistant_reply};
        super::subscribe::<AssistantReply>(
            assistant_reply::Variables {
                conversation_id: id,
            },
            || {},
            move |data| {
                let event = data.assistant_reply;
                match event.kind {
                    assistant_reply::ReplyKind::TEXT => {
                        streaming.update(|s| s.push_str(&event.text))
                    }
                    assistant_reply::ReplyKind::ACTIVITY => activity.set(Some(event.text)),
                    _ => {
                        if let Some(message) = event.message.as_ref().and_then(shown) {
                            messages.update(|list| list.push(message));
                        }
                        streaming.set(String::new());
                        activity.set(None);
                        busy.set(false);
                    }
                }
            },
            move || busy.set(false),
        );
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, messages, streaming, activity, busy);
}
