// Library photos in the body editor (django-prose-editor, loaded as an extension module).
//
// Figure: the editor's figure, remembering which library photo it shows (data-photo), so
// the public page can draw that photo's responsive copies and follow later changes.
// PhotoPicker: a button above the editor opening a searchable list of library photos;
// choosing one inserts it, with its caption, where the cursor is.
import { Figure as BaseFigure, Extension } from "django-prose-editor/editor"

export const Figure = BaseFigure.extend({
  addAttributes() {
    return {
      ...this.parent?.(),
      photo: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-photo"),
        renderHTML: (attributes) => (attributes.photo ? { "data-photo": attributes.photo } : {}),
      },
    }
  },
})

export const PhotoPicker = Extension.create({
  name: "photoPicker",

  addOptions() {
    return { url: null, labels: {} }
  },

  onCreate() {
    const container = this.editor.view.dom.closest(".prose-editor")
    if (!container || !this.options.url) return
    const style = element("link", { rel: "stylesheet", href: new URL("photos.css", import.meta.url) })
    document.head.append(style)
    const picker = buildPicker(this.options, (photo) => insertPhoto(this.editor, photo))
    container.before(picker.bar)
    container.after(picker.dialog)
  },
})

function insertPhoto(editor, photo) {
  editor
    .chain()
    .focus()
    .insertContent({
      type: "figure",
      attrs: { photo: String(photo.id) },
      content: [
        {
          type: "image",
          attrs: { src: photo.src, alt: photo.alt, width: photo.width, height: photo.height },
        },
        {
          type: "caption",
          content: photo.caption ? [{ type: "text", text: photo.caption }] : [],
        },
      ],
    })
    .run()
}

function element(tag, properties = {}, children = []) {
  const node = Object.assign(document.createElement(tag), properties)
  node.append(...children)
  return node
}

function buildPicker({ url, labels }, choose) {
  const search = element("input", { type: "search", placeholder: labels.search })
  search.setAttribute("aria-label", labels.search)
  const grid = element("div", { className: "photo-picker__grid" })
  const close = element("button", { type: "button", className: "button", textContent: labels.close })
  const dialog = element("dialog", { className: "photo-picker" }, [
    element("h2", { textContent: labels.title }),
    search,
    close,
    grid,
  ])
  dialog.setAttribute("aria-label", labels.title)
  const open = element("button", {
    type: "button",
    className: "button photo-picker__open",
    textContent: labels.open,
  })
  const bar = element("div", { className: "photo-picker__bar" }, [open])

  async function load() {
    const response = await fetch(`${url}?q=${encodeURIComponent(search.value)}`, {
      headers: { Accept: "application/json" },
    })
    const { photos } = await response.json()
    grid.replaceChildren(
      ...(photos.length
        ? photos.map((photo) => photoButton(photo, labels, () => {
            dialog.close()
            choose(photo)
          }))
        : [element("p", { textContent: labels.empty })]),
    )
  }

  let timer = null
  search.addEventListener("input", () => {
    clearTimeout(timer)
    timer = setTimeout(load, 250)
  })
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault() // never submit the article form
  })
  open.addEventListener("click", () => {
    dialog.showModal()
    load()
  })
  close.addEventListener("click", () => dialog.close())
  return { bar, dialog }
}

function photoButton(photo, labels, onChoose) {
  const parts = [
    element("img", { src: photo.thumb, alt: photo.alt }),
    element("span", { textContent: photo.caption }),
  ]
  if (photo.missingAlt) {
    parts.push(element("span", { className: "photo-picker__badge", textContent: labels.missingAlt }))
  }
  const button = element("button", { type: "button", className: "photo-picker__item" }, parts)
  button.dataset.photo = photo.id
  button.addEventListener("click", onChoose)
  return button
}
