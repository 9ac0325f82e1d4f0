//! The category tree: every catalog page reads it (navigation, breadcrumbs, subcategory links,
//! a listing's category scope). Each instance holds it in its [`super::snapshot`].

use std::collections::HashMap;

use super::filter::CategoryScope;
use super::model::Category;

/// Every category, with its place in the tree.
pub(crate) struct CategoryTree {
    /// In display order: by depth, then position among siblings, then name.
    categories: Vec<Category>,
    by_id: HashMap<i64, usize>,
    by_slug: HashMap<String, usize>,
    /// Children of each category (`None`: the top level), in display order.
    children: HashMap<Option<i64>, Vec<usize>>,
}

impl CategoryTree {
    /// The tree of `categories`, given in display order.
    pub(crate) fn new(categories: Vec<Category>) -> Self {
        let mut tree = Self {
            by_id: HashMap::with_capacity(categories.len()),
            by_slug: HashMap::with_capacity(categories.len()),
            children: HashMap::new(),
            categories: Vec::new(),
        };
        for (index, category) in categories.iter().enumerate() {
            tree.by_id.insert(category.id, index);
            tree.by_slug.insert(category.slug.clone(), index);
            tree.children
                .entry(category.parent_id)
                .or_default()
                .push(index);
        }
        tree.categories = categories;
        tree
    }

    /// The category `id`.
    pub(crate) fn get(&self, id: i64) -> Option<&Category> {
        self.by_id.get(&id).map(|&i| &self.categories[i])
    }

    /// The category named `slug` in links.
    pub(crate) fn by_slug(&self, slug: &str) -> Option<&Category> {
        self.by_slug.get(slug).map(|&i| &self.categories[i])
    }

    /// The subcategories of `parent` (`None`: the top level), in display order.
    pub(crate) fn children(&self, parent: Option<i64>) -> impl Iterator<Item = &Category> {
        let indices = self.children.get(&parent).map_or(&[][..], Vec::as_slice);
        indices.iter().map(|&i| &self.categories[i])
    }

    /// The featured categories of every level, in display order.
    pub(crate) fn featured(&self) -> impl Iterator<Item = &Category> {
        self.categories.iter().filter(|c| c.featured)
    }

    /// The category named `slug` with every category below it, as listings select products;
    /// `None` for an unknown slug.
    pub(crate) fn scope(&self, slug: &str) -> Option<CategoryScope> {
        let mut ids = vec![self.by_slug(slug)?.id];
        // Breadth first; the bound only guards against a stored cycle.
        let mut next = 0;
        while next < ids.len() && ids.len() <= self.categories.len() {
            let children = self.children(Some(ids[next])).map(|c| c.id);
            ids.extend(children);
            next += 1;
        }
        Some(CategoryScope { ids })
    }

    /// The categories above `id`, the top level first; none for an unknown id.
    pub(crate) fn ancestors(&self, id: i64) -> Vec<&Category> {
        let mut path = Vec::new();
        let mut parent = self.get(id).and_then(|c| c.parent_id);
        // A tree is at most a few levels deep; the bound only guards against a stored cycle.
        while let Some(category) = parent.and_then(|p| self.get(p))
            && path.len() < self.categories.len()
        {
            path.push(category);
            parent = category.parent_id;
        }
        path.reverse();
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn category(id: i64, parent_id: Option<i64>, slug: &str, featured: bool) -> Category {
        Category {
            id,
            parent_id,
            slug: slug.into(),
            name: slug.to_uppercase(),
            description: String::new(),
            depth: 0,
            featured,
        }
    }

    fn slugs<'a>(categories: impl IntoIterator<Item = &'a Category>) -> Vec<&'a str> {
        categories.into_iter().map(|c| c.slug.as_str()).collect()
    }

    #[test]
    fn the_tree_answers_in_display_order() {
        let tree = CategoryTree::new(vec![
            category(1, None, "elektro", false),
            category(2, None, "nabytek", true),
            category(3, Some(1), "kuchyn", false),
            category(4, Some(1), "audio", true),
            category(5, Some(4), "sluchatka", false),
        ]);
        assert_eq!(slugs(tree.children(None)), ["elektro", "nabytek"]);
        assert_eq!(slugs(tree.children(Some(1))), ["kuchyn", "audio"]);
        assert!(tree.children(Some(5)).next().is_none());
        assert_eq!(slugs(tree.featured()), ["nabytek", "audio"]);
        assert_eq!(slugs(tree.ancestors(5)), ["elektro", "audio"]);
        assert!(tree.ancestors(1).is_empty());
        assert!(tree.ancestors(99).is_empty());
        assert_eq!(tree.by_slug("audio").map(|c| c.id), Some(4));
        assert!(tree.by_slug("nic").is_none());
        assert_eq!(tree.get(3).map(|c| c.slug.as_str()), Some("kuchyn"));
        assert_eq!(tree.scope("elektro").unwrap().ids, [1, 3, 4, 5]);
        assert_eq!(tree.scope("audio").unwrap().ids, [4, 5]);
        assert_eq!(tree.scope("nabytek").unwrap().ids, [2]);
        assert!(tree.scope("nic").is_none());
    }

    #[test]
    fn a_stored_cycle_does_not_hang() {
        let tree = CategoryTree::new(vec![
            category(1, Some(2), "a", false),
            category(2, Some(1), "b", false),
        ]);
        assert_eq!(tree.ancestors(1).len(), 2);
        assert!(tree.scope("a").unwrap().ids.len() <= 3);
    }
}
