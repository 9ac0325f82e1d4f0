//! The product page's reviews: the average, the newest approved reviews, and the form for
//! customers who received the product.

use leptos::prelude::*;

use crate::api::{WriteReview, product_page, write_review};
use crate::components::{Field, FieldErrors, FormMessage, NETWORK_ERROR, Stars, submit};
use crate::user_errors;

type ReviewRow = product_page::ProductPageReviewsNodes;
type Rating = product_page::ProductPageProductRating;

/// "Hodnocení zákazníků" with the reviews and the form.
#[component]
pub fn ReviewsSection(slug: String, rating: Rating, reviews: Vec<ReviewRow>) -> impl IntoView {
    view! {
        <section class="reviews" id="hodnoceni" data-testid="reviews">
            <h2>"Hodnocení zákazníků"</h2>
            {match rating.average {
                Some(average) => view! { <p><Stars average count=rating.count/></p> }.into_any(),
                None => view! { <p>"Zatím bez hodnocení. Koupili jste? Podělte se o zkušenost."</p> }.into_any(),
            }}
            <ul class="review-list">
                {reviews.into_iter().map(|r| {
                    let day = crate::time::prague(&r.created_at).rsplit_once(' ').map(|(day, _)| day.to_owned()).unwrap_or_default();
                    view! {
                        <li class="review-item">
                            <div class="review-item__head">
                                <Stars average=r.rating as f64/>
                                <span class="review-item__author">{r.author_name}</span>
                                <time datetime=r.created_at.clone()>{day}</time>
                            </div>
                            <p>{r.body}</p>
                            {(!r.pros.is_empty()).then(|| view! { <p class="review-item__points"><strong>"Klady: "</strong>{r.pros}</p> })}
                            {(!r.cons.is_empty()).then(|| view! { <p class="review-item__points"><strong>"Zápory: "</strong>{r.cons}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <ReviewForm slug/>
        </section>
    }
}

/// The review form (an island). Anyone sees it; the server takes reviews only from signed-in
/// customers who received the product (the page is the same for everyone, so it can be cached).
#[island]
fn ReviewForm(slug: String) -> impl IntoView {
    let rating = RwSignal::new(0_i64);
    let body = RwSignal::new(String::new());
    let pros = RwSignal::new(String::new());
    let cons = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::default());
    let done = RwSignal::new(false);
    let slug = StoredValue::new(slug);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = write_review::ProductReviewCreateInput {
            product_slug: slug.get_value(),
            rating: rating.get_untracked(),
            body: body.get_untracked(),
            pros: pros.get_untracked(),
            cons: cons.get_untracked(),
        };
        submit::<WriteReview>(write_review::Variables { input }, move |result| {
            match result {
            Ok(data) if data.product_review_create.user_errors.is_empty() => done.set(true),
            Ok(data) => errors.set(user_errors!(data.product_review_create.user_errors)),
            Err(error) if error.code == "UNAUTHENTICATED" => errors.set(FieldErrors(vec![(
                String::new(),
                "Hodnotit mohou přihlášení zákazníci, kterým jsme zboží doručili. Nejdřív se přihlaste.".into(),
            )])),
            Err(_) => errors.set(FieldErrors(vec![(String::new(), NETWORK_ERROR.into())])),
        }
        });
    };
    view! {
        <Show
            when=move || !done.get()
            fallback=|| view! { <p class="form__success" role="status">"Děkujeme! Hodnocení zveřejníme po kontrole."</p> }
        >
            <form class="form review-form" on:submit=send novalidate data-testid="review-form">
                <h3>"Napsat hodnocení"</h3>
                <FormMessage errors/>
                <fieldset class="rating-input">
                    <legend class="field__label">"Počet hvězdiček"</legend>
                    {(1..=5).map(|stars| view! {
                        <label>
                            <input type="radio" name="rating" class="visually-hidden" value=stars
                                prop:checked=move || rating.get() == stars on:change=move |_| rating.set(stars)/>
                            {"★".repeat(stars as usize)}
                            <span class="visually-hidden">{format!(" {stars} z 5")}</span>
                        </label>
                    }).collect_view()}
                </fieldset>
                {move || errors.with(|e| e.get("rating")).map(|m| view! { <p class="field__error" role="alert">{m}</p> })}
                <label class="field">
                    <span class="field__label">"Vaše zkušenost"</span>
                    <textarea name="body" maxlength="4000" prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                </label>
                {move || errors.with(|e| e.get("body")).map(|m| view! { <p class="field__error" role="alert">{m}</p> })}
                <Field label="Klady" name="pros" value=pros errors/>
                <Field label="Zápory" name="cons" value=cons errors/>
                <button class="button" type="submit">"Odeslat hodnocení"</button>
            </form>
        </Show>
    }
}
