"""What the browser did with a page's images."""


def loaded_image_source(image):
    """The file the browser chose for an <img> once it has loaded (lazy images scroll in)."""
    image.scroll_into_view_if_needed()
    handle = image.element_handle()
    image.page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=handle)
    return image.evaluate("img => img.currentSrc")
