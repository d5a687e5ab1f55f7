// Library videos in the body editor (django-prose-editor extension module).
//
// VideoPicker: a 插入视频 button in the menu (its title translated as the menu's own are,
// through Django's JavaScript catalogue) opening a searchable list of the library's ready
// videos; choosing one inserts <figure data-video="N"> with its poster and caption after
// the paragraph holding the cursor. The figure is photo-editor.js's Figure, so Enter or
// ArrowDown in its caption leaves it for a new paragraph as for a photo.
// A share link pasted on a line of its own is offered as an embed: with a title, the
// video library makes it an embedded player (or finds the one it has), or says why not.
import { Extension, Plugin } from "django-prose-editor/editor"
import {
  csrfToken,
  element,
  follow,
  insertionRange,
  pickerList,
  searchAsYouType,
} from "./photo-editor.js"

const gettext = window.gettext ?? ((text) => text)
const LINK = /^https?:\/\/\S+$/i

export const VideoPicker = Extension.create({
  name: "videoPicker",

  addOptions() {
    return { url: null, linkUrl: null, labels: {} }
  },

  addStorage() {
    return { dialog: null, offer: null }
  },

  addMenuItems({ buttons, menu }) {
    if (!this.options.url) return
    const storage = this.storage
    menu.defineItem({
      name: "video",
      groups: "nodes",
      button: buttons.material("movie", gettext("Insert video")),
      command() {
        storage.dialog?.open()
      },
    })
  },

  onCreate() {
    const container = this.editor.view.dom.closest(".prose-editor")
    if (!container || !this.options.url) return
    this.storage.dialog = buildPicker(this.options, (video) => insertVideo(this.editor, video))
    this.storage.offer = buildOffer(this.editor, this.options)
    container.after(this.storage.dialog.dom, this.storage.offer.dom)
  },

  addProseMirrorPlugins() {
    return [
      new Plugin({
        props: {
          handlePaste: (view, event) => {
            const text = (event.clipboardData?.getData("text/plain") ?? "").trim()
            const { $from, empty } = view.state.selection
            const onItsOwnLine = empty && $from.depth === 1 && $from.parent.type.name === "paragraph"
              && $from.parent.content.size === 0
            if (!LINK.test(text) || !onItsOwnLine || !this.storage.offer) return false
            // The link goes in as typed; the offer to make it a video stands beside it.
            const at = $from.before(1)
            view.dispatch(view.state.tr.insertText(text))
            this.storage.offer.show(text, at)
            return true
          },
        },
      }),
    ]
  },
})

export function insertVideo(editor, video, pos = editor.state.selection.to, replace = null) {
  const range = replace ?? insertionRange(editor.state.doc, pos)
  const caption = video.caption || ""
  editor
    .chain()
    .focus()
    .insertContentAt(range, {
      type: "figure",
      attrs: { video: String(video.id) },
      content: [
        { type: "image", attrs: { src: video.poster, alt: "" } },
        { type: "caption", content: caption ? [{ type: "text", text: caption }] : [] },
      ],
    })
    // Into the caption: written (or checked) next.
    .setTextSelection(range.from + 3 + caption.length)
    .scrollIntoView()
    .run()
}

function buildPicker({ url, labels }, choose) {
  const search = element("input", { type: "search", placeholder: labels.search })
  search.setAttribute("aria-label", labels.search)
  const grid = element("div", { className: "photo-picker__grid" })
  const close = element("button", { type: "button", className: "button", textContent: labels.close })
  const dom = element("dialog", { className: "photo-picker video-picker" }, [
    element("h2", { textContent: labels.title }),
    search,
    close,
    grid,
  ])
  dom.setAttribute("aria-label", labels.title)

  const load = searchAsYouType(search, async () => {
    const { videos } = await pickerList(url, search)
    grid.replaceChildren(
      ...(videos.length
        ? videos.map((video) => videoButton(video, labels, () => {
            dom.close()
            choose(video)
          }))
        : [element("p", { textContent: labels.empty })]),
    )
  })
  close.addEventListener("click", () => dom.close())
  return {
    dom,
    open() {
      dom.showModal()
      load()
    },
  }
}

function videoButton(video, labels, onChoose) {
  const preview = video.poster
    ? element("img", { src: video.poster, alt: "" })
    : element("span", { className: "video-picker__embed", textContent: labels.embed })
  const parts = [preview, element("strong", { textContent: video.title })]
  if (video.caption) parts.push(element("span", { textContent: video.caption }))
  const button = element("button", { type: "button", className: "photo-picker__item" }, parts)
  button.dataset.video = video.id
  button.addEventListener("click", onChoose)
  return button
}

// The offer under the editor after a link was pasted on its own line.
function buildOffer(editor, { linkUrl, labels }) {
  const title = element("input", { type: "text", placeholder: labels.videoTitle, maxLength: 200 })
  title.setAttribute("aria-label", labels.videoTitle)
  const convert = element("button", { type: "button", className: "button", textContent: labels.convert })
  const dismiss = element("button", { type: "button", className: "button", textContent: labels.dismiss })
  const prompt = element("span", { textContent: labels.offer })
  const status = element("p", { className: "video-offer__status" })
  status.setAttribute("role", "status")
  const form = element("div", { className: "video-offer__form" }, [prompt, title, convert, dismiss])
  const dom = element("div", { className: "video-offer", hidden: true }, [form, status])
  let link = ""
  let tracked = null

  const say = (text, isError = false) => {
    status.textContent = text
    status.classList.toggle("is-error", isError)
  }
  const hide = () => {
    tracked?.stop()
    tracked = null
    dom.hidden = true
  }
  title.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return
    event.preventDefault() // never submit the article form
    convert.click()
  })
  dismiss.addEventListener("click", hide)
  convert.addEventListener("click", async () => {
    say(labels.converting)
    const body = new FormData()
    body.append("share_url", link)
    body.append("title", title.value)
    let answer = null
    try {
      const response = await fetch(linkUrl, { method: "POST", body, headers: { "X-CSRFToken": csrfToken() } })
      answer = await response.json()
    } catch {
      say(labels.failed, true)
      return
    }
    if (!answer.video) {
      say(answer.error || labels.failed, true)
      return
    }
    insertVideo(editor, answer.video, tracked.pos, linkParagraph(editor.state.doc, tracked.pos, link))
    hide()
    say(labels.converted)
    dom.hidden = false
    form.hidden = true
  })

  return {
    dom,
    show(text, pos) {
      tracked?.stop()
      tracked = follow(editor, pos)
      link = text
      title.value = ""
      form.hidden = false
      say("")
      dom.hidden = false
    },
  }
}

// The pasted link's paragraph, replaced by the video while it still holds only the link.
function linkParagraph(doc, pos, link) {
  const node = doc.nodeAt(pos)
  if (node?.type.name === "paragraph" && node.textContent.trim() === link) {
    return { from: pos, to: pos + node.nodeSize }
  }
  return null
}
