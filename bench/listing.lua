-- The storefront's product listing: 24 products with variants, images and brand.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"query":"query Listing($filter: ProductFilter) { products(first: 24, filter: $filter, sort: RELEVANCE) { pageInfo { hasNextPage endCursor } nodes { id slug name brand { id name } featuredImage { url altText } images { url altText } priceRange { min { amount formatted } max { amount formatted } } variants { id sku title price { amount formatted } compareAtPrice { formatted } quantityAvailable availableForSale } } } }","variables":{"filter":{"category":"elektro"}}}]]

-- Fail loudly if the server answers with errors instead of data.
response = function(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"') then
    io.stderr:write("bad response: " .. status .. " " .. string.sub(body, 1, 300) .. "\n")
    os.exit(1)
  end
end
