// Library photos in the body editor (django-prose-editor, loaded as an extension module).
//
// Figure: the editor's figure, remembering which library photo it shows (data-photo), so
// the public page can draw that photo's responsive copies and follow later changes. The
// package's "insert figure by URL" is gone: every photo comes through the library, where
// it gets its copies, watermark and stripped EXIF. Enter (or ArrowDown at the end of the
// body) in a figure's caption leaves the figure for a new paragraph.
// Image: the package's image, without the Markdown shortcut that places one by URL.
// PhotoPicker: a button above the editor opening a searchable list of library photos;
// choosing one inserts it, with its caption, after the paragraph holding the cursor. A
// photo file dropped or pasted into the editor is uploaded to the library and inserted.
import { Figure as BaseFigure, Image as BaseImage, Extension, Plugin } from "django-prose-editor/editor"

export const Figure = BaseFigure.extend({
  addAttributes() {
    return {
      ...this.parent?.(),
      photo: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-photo"),
        renderHTML: (attributes) => (attributes.photo ? { "data-photo": attributes.photo } : {}),
      },
      // A library video (videos/figures.py): the editor shows its poster, readers the player.
      video: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-video"),
        renderHTML: (attributes) => (attributes.video ? { "data-video": attributes.video } : {}),
      },
    }
  },

  addCommands() {
    const parent = this.parent?.() ?? {}
    // Kept for the caption button; the dialogs asking for an image URL are not offered.
    return { toggleCaption: parent.toggleCaption, editImage: () => () => false, insertFigure: () => () => false }
  },

  addMenuItems({ menu }) {
    // The menu's own "figure" button asks for a URL: replaced by one no menu group shows.
    menu.defineItem({ name: "figure", groups: "photoLibraryOnly", button: null, command() {} })
  },

  addKeyboardShortcuts() {
    return {
      Enter: () => leaveFigure(this.editor),
      ArrowDown: () => {
        const figure = figureAround(this.editor.state)
        if (!figure || figure.pos + figure.node.nodeSize !== this.editor.state.doc.content.size) return false
        if (!this.editor.state.selection.node && !this.editor.view.endOfTextblock("down")) return false
        return leaveFigure(this.editor)
      },
    }
  },
})

export const Image = BaseImage.extend({
  addInputRules() {
    return []
  },
})

export const PhotoPicker = Extension.create({
  name: "photoPicker",

  addOptions() {
    return { url: null, uploadUrl: null, labels: {} }
  },

  onCreate() {
    const container = this.editor.view.dom.closest(".prose-editor")
    if (!container || !this.options.url) return
    const picker = buildPicker(this.options, (photo) => insertPhoto(this.editor, photo))
    this.storage.status = element("p", { className: "photo-picker__status" })
    this.storage.status.setAttribute("role", "status")
    container.before(picker.bar)
    container.after(picker.dialog, this.storage.status)
  },

  addStorage() {
    return { status: null }
  },

  addProseMirrorPlugins() {
    const upload = (files, pos) => uploadPhotos(this.editor, this.options, this.storage, files, pos)
    return [
      new Plugin({
        props: {
          handlePaste: (view, event) => {
            const files = imageFiles(event.clipboardData)
            // Copied text that carries a picture of itself (Word does this) is text.
            if (!files.length || hasText(event.clipboardData)) return false
            event.preventDefault()
            upload(files, view.state.selection.to)
            return true
          },
          handleDrop: (view, event, slice, moved) => {
            const files = moved ? [] : imageFiles(event.dataTransfer)
            if (!files.length) return false
            event.preventDefault()
            const at = view.posAtCoords({ left: event.clientX, top: event.clientY })
            upload(files, at ? at.pos : view.state.selection.to)
            return true
          },
        },
      }),
    ]
  },
})

function figureAround(state) {
  const { selection } = state
  if (selection.node?.type.name === "figure") return { pos: selection.from, node: selection.node }
  const { $from } = selection
  for (let depth = $from.depth; depth > 0; depth--) {
    if ($from.node(depth).type.name === "figure") return { pos: $from.before(depth), node: $from.node(depth) }
  }
  return null
}

function leaveFigure(editor) {
  const figure = figureAround(editor.state)
  if (!figure) return false
  const after = figure.pos + figure.node.nodeSize
  return editor
    .chain()
    .insertContentAt(after, { type: "paragraph" })
    .setTextSelection(after + 1)
    .scrollIntoView()
    .run()
}

// Where a photo (or video) goes: after the top-level block holding `pos` (a paragraph is never split),
// or in place of an empty paragraph.
export function insertionRange(doc, pos) {
  const $pos = doc.resolve(Math.min(pos, doc.content.size))
  if ($pos.depth === 0) return { from: $pos.pos, to: $pos.pos }
  const block = $pos.node(1)
  if (block.type.name === "paragraph" && block.content.size === 0) {
    return { from: $pos.before(1), to: $pos.after(1) }
  }
  return { from: $pos.after(1), to: $pos.after(1) }
}

function insertPhoto(editor, photo, pos = editor.state.selection.to) {
  const range = insertionRange(editor.state.doc, pos)
  const caption = photo.caption || ""
  editor
    .chain()
    .focus()
    .insertContentAt(range, {
      type: "figure",
      attrs: { photo: String(photo.id) },
      content: [
        {
          type: "image",
          attrs: { src: photo.src, alt: photo.alt, width: photo.width, height: photo.height },
        },
        { type: "caption", content: caption ? [{ type: "text", text: caption }] : [] },
      ],
    })
    // Into the caption: written (or checked) next.
    .setTextSelection(range.from + 3 + caption.length)
    .scrollIntoView()
    .run()
}

function imageFiles(transfer) {
  return Array.from(transfer?.files ?? []).filter((file) => file.type.startsWith("image/"))
}

function hasText(transfer) {
  const html = transfer.getData("text/html")
  const text = html ? new DOMParser().parseFromString(html, "text/html").body.textContent : transfer.getData("text/plain")
  return Boolean(text.trim())
}

// A position that follows the document's changes while an upload is on its way.
export function follow(editor, pos) {
  const tracked = { pos }
  const onTransaction = ({ transaction }) => {
    tracked.pos = transaction.mapping.map(tracked.pos)
  }
  editor.on("transaction", onTransaction)
  tracked.stop = () => editor.off("transaction", onTransaction)
  return tracked
}

async function uploadPhotos(editor, { url, uploadUrl, labels }, { status }, files, pos) {
  const tracked = follow(editor, pos)
  const say = (label, file, text) => {
    status.textContent = text || label.replace("%(name)s", file.name)
    status.classList.toggle("is-error", label === labels.failed)
  }
  try {
    for (const file of files) {
      say(labels.uploading, file)
      const body = new FormData()
      body.append("file", file)
      let answer = null
      try {
        const response = await fetch(uploadUrl, { method: "POST", body, headers: { "X-CSRFToken": csrfToken() } })
        answer = await response.json()
      } catch {
        say(labels.failed, file)
        continue
      }
      if (!answer.photo) {
        say(labels.failed, file, answer.error)
        continue
      }
      insertPhoto(editor, answer.photo, tracked.pos)
      tracked.pos = editor.state.selection.$from.after(1)
      if (answer.photo.src) {
        say(labels.uploaded, file)
      } else {
        say(labels.processing, file)
        showWhenDrawn(editor, url, answer.photo.id)
      }
    }
  } finally {
    tracked.stop()
  }
}

/** The picker's list for what is typed in ``search``, as JSON. */
export async function pickerList(url, search) {
  const response = await fetch(`${url}?q=${encodeURIComponent(search.value)}`, {
    headers: { Accept: "application/json" },
  })
  return response.json()
}

/** Run ``load`` a moment after the reader stops typing in ``search``; Enter there never
 * submits the article form. Returns ``load``. */
export function searchAsYouType(search, load) {
  let timer = null
  search.addEventListener("input", () => {
    clearTimeout(timer)
    timer = setTimeout(load, 250)
  })
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault()
  })
  return load
}

export function csrfToken() {
  return document.querySelector("input[name=csrfmiddlewaretoken]")?.value ?? ""
}

// A worker draws a new photo's copies a moment later: the figure's preview follows.
async function showWhenDrawn(editor, url, id, attempts = 30) {
  for (let attempt = 0; attempt < attempts; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 2000))
    const response = await fetch(`${url}?id=${id}`, { headers: { Accept: "application/json" } })
    const [photo] = response.ok ? (await response.json()).photos : []
    if (!photo) continue
    const { tr } = editor.state
    editor.state.doc.descendants((node, pos) => {
      if (node.type.name !== "figure" || node.attrs.photo !== String(id)) return true
      const image = node.firstChild
      tr.setNodeMarkup(pos + 1, null, { ...image.attrs, src: photo.src, width: photo.width, height: photo.height })
      return false
    })
    editor.view.dispatch(tr)
    return
  }
}

export function element(tag, properties = {}, children = []) {
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

  const load = searchAsYouType(search, async () => {
    const { photos } = await pickerList(url, search)
    grid.replaceChildren(
      ...(photos.length
        ? photos.map((photo) => photoButton(photo, labels, () => {
            dialog.close()
            choose(photo)
          }))
        : [element("p", { textContent: labels.empty })]),
    )
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
