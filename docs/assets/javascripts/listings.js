// The copy button of a listing copies the snippet file byte for byte.
//
// Material's copy button copies the code's text trimmed at the end (`.trimEnd()` in its
// bundle), so without the file's final newline. Its clipboard handler copies a button's
// `data-clipboard-text` as it is, though: just before it handles the click (this listener
// runs in the capture phase), give the button the file's text, which the docskit hook
// put on the listing at build time (`data-listing-text`). A listener on the document
// keeps working when Material swaps the page's content.
document.addEventListener("click", function (event) {
  var button = event.target instanceof Element
    && event.target.closest("button.md-code__button[data-md-type=copy]")
  var listing = button && button.closest("[data-listing-text]")
  if (listing) button.setAttribute("data-clipboard-text", listing.getAttribute("data-listing-text"))
}, true)
