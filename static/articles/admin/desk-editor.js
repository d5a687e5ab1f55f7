// The body editor at the desk (django-prose-editor extension module).
//
// DeskLabels: the package writes some menu titles and block names in English without
// passing them through gettext; they go through Django's JavaScript catalogue here, as
// its dialogs already do (locale/zh_Hans/LC_MESSAGES/djangojs.po).
// DeskPaste: text pasted from WeChat or Word keeps its paragraphs, headings, lists, tables,
// bold, italic and links, and leaves styles, classes, spans, full-width indents and empty
// paragraphs behind. A pasted image from another site stays, marked, until it is taken
// into the library.
// WordCount: the 字数 under the editor, updated as the editor types.
import { Extension, Plugin, pm } from "django-prose-editor/editor"
import { countWords, documentText } from "./word-count.js"

const gettext = window.gettext ?? ((text) => text)
const interpolate = window.interpolate ?? ((format, values) => format.replace("%s", values[0]))

export const DeskLabels = Extension.create({
  name: "deskLabels",
  // After the menu (built when the editor is created) exists.
  priority: 1,

  onCreate() {
    const container = this.editor.view.dom.closest(".prose-editor")
    if (!container) return
    for (const button of container.querySelectorAll(".prose-menubar [title]")) {
      button.title = translate(button.title)
      if (button.hasAttribute("aria-label")) button.setAttribute("aria-label", button.title)
    }
    for (const option of container.querySelectorAll(".prose-menubar__option > *")) {
      if (option.children.length === 0) option.textContent = translate(option.textContent)
    }
  },
})

function translate(text) {
  const heading = /^(heading) (\d)$/i.exec(text)
  return heading ? interpolate(gettext(`${heading[1]} %s`), [heading[2]]) : gettext(text)
}

export const DeskPaste = Extension.create({
  name: "deskPaste",

  addOptions() {
    return { labels: {} }
  },

  addProseMirrorPlugins() {
    const note = this.options.labels.remote ?? ""
    return [
      new Plugin({
        key: new pm.state.PluginKey("deskPaste"),
        props: {
          transformPastedHTML: cleanPastedHTML,
          transformPastedText: (text) => text.replace(/^[\s\u200b]+/gm, ""),
          decorations: (state) => remoteImageMarks(state.doc, note),
        },
      }),
    ]
  },
})

// Images not drawn from the library: pasted from another site, shown from there.
function remoteImageMarks(doc, note) {
  const { Decoration, DecorationSet } = pm.view
  const marks = []
  doc.descendants((node, pos, parent) => {
    if (node.type.name !== "image" || !/^(https?:)?\/\//i.test(node.attrs.src ?? "")) return true
    if (parent.type.name === "figure" && parent.attrs.photo) return false
    marks.push(
      Decoration.node(pos, pos + node.nodeSize, { class: "remote-image" }),
      Decoration.widget(pos, () => Object.assign(document.createElement("span"), {
        className: "remote-image-note",
        textContent: note,
      }), { side: -1, ignoreSelection: true }),
    )
    return false
  })
  return DecorationSet.create(doc, marks)
}

const BLOCK_TAGS = new Set([
  "P", "H1", "H2", "H3", "H4", "H5", "H6", "UL", "OL", "LI", "BLOCKQUOTE", "TABLE", "THEAD",
  "TBODY", "TFOOT", "TR", "TH", "TD", "FIGURE", "FIGCAPTION", "HR", "PRE", "SECTION", "DIV",
  "ARTICLE", "HEADER", "FOOTER", "IMG",
])
const KEPT_ATTRIBUTES = {
  A: ["href", "title"],
  IMG: ["src", "alt", "width", "height"],
  OL: ["start"],
  TD: ["colspan", "rowspan"],
  TH: ["colspan", "rowspan"],
}
const DROPPED = "style, script, meta, link, title, xml, noscript, iframe, video, audio, svg, canvas, mpvoice, qqmusic, mp-miniprogram"
const BLANK = /^[\s\u200b\ufeff]*$/
const LEADING_BLANK = /^[\s\u200b\ufeff]+/
const TRAILING_BLANK = /[\s\u200b\ufeff]+$/

// Pasted HTML reduced to the structure the editor keeps.
export function cleanPastedHTML(html) {
  const body = new DOMParser().parseFromString(html, "text/html").body
  for (const node of body.querySelectorAll(DROPPED)) node.remove()
  removeComments(body)
  for (const node of body.getElementsByTagName("o:p")) node.remove()
  wordLists(body)
  styledEmphasis(body)
  for (const image of body.querySelectorAll("img")) keepRemoteImage(image)
  for (const link of body.querySelectorAll("a")) {
    if (!/^(https?:|mailto:)/i.test(link.getAttribute("href") ?? "")) unwrap(link)
  }
  for (const box of [...body.querySelectorAll("section, div, article, header, footer")].reverse()) {
    if ([...box.children].some((child) => BLOCK_TAGS.has(child.tagName))) unwrap(box)
    else rename(box, "P")
  }
  for (const heading of body.querySelectorAll("h1, h5, h6")) rename(heading, heading.tagName === "H1" ? "H2" : "H4")
  // A heading is bold already.
  for (const bold of body.querySelectorAll(":is(h2, h3, h4) :is(strong, b)")) unwrap(bold)
  for (const node of body.querySelectorAll("span, font, b[style*='normal'], u:empty")) unwrap(node)
  for (const node of body.querySelectorAll("*")) keepAttributes(node)
  liftImages(body)
  for (const block of body.querySelectorAll("p, h2, h3, h4, li, td, th, figcaption, blockquote")) trimBlock(block)
  for (const block of [...body.querySelectorAll("p, h2, h3, h4, li, blockquote, ul, ol")].reverse()) {
    if (BLANK.test(block.textContent) && !block.querySelector("img, table, hr")) block.remove()
  }
  return body.innerHTML
}

// A picture stands between paragraphs in the editor: one written inside a paragraph
// (WeChat wraps each in its own) moves out after it, instead of splitting it in two.
function liftImages(body) {
  for (const block of body.querySelectorAll("p, h2, h3, h4")) {
    const images = block.querySelectorAll("img")
    if (!images.length) continue
    if (BLANK.test(block.textContent)) block.replaceWith(...images)
    else block.after(...images)
  }
}

function removeComments(root) {
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_COMMENT)
  const comments = []
  while (walker.nextNode()) comments.push(walker.currentNode)
  for (const comment of comments) comment.remove()
}

// Word writes list items as paragraphs styled mso-list, each with a typed-out marker.
function wordLists(body) {
  for (const marker of body.querySelectorAll("[style*='mso-list']")) {
    if (!/mso-list:\s*ignore/i.test(marker.getAttribute("style"))) continue
    const paragraph = marker.closest("p")
    if (paragraph) paragraph.dataset.marker = marker.textContent
    marker.remove()
  }
  let list = null
  for (const paragraph of body.querySelectorAll("p[style*='mso-list']")) {
    const previous = paragraph.previousElementSibling
    if (!list || previous !== list) {
      const ordered = /^[\s\u00a0]*([0-9a-zA-Z]+|[一二三四五六七八九十]+)[.)、．]/.test(paragraph.dataset.marker ?? "")
      list = paragraph.ownerDocument.createElement(ordered ? "ol" : "ul")
      paragraph.before(list)
    }
    const item = paragraph.ownerDocument.createElement("li")
    item.append(...paragraph.childNodes)
    list.append(item)
    paragraph.remove()
  }
}

// WeChat marks bold and italic text with styles on spans.
function styledEmphasis(body) {
  for (const span of body.querySelectorAll("span[style], font[style]")) {
    const style = span.getAttribute("style").toLowerCase()
    if (/font-weight:\s*(bold|[6-9]00)/.test(style)) wrap(span, "strong")
    if (/font-style:\s*italic/.test(style)) wrap(span, "em")
  }
}

// WeChat loads its pictures late: the address is in data-src. A picture with no address
// on the web (a local file, inline data) cannot be kept.
function keepRemoteImage(image) {
  const source = [image.getAttribute("src"), image.dataset.src, image.dataset.originalSrc]
    .map((value) => (value ?? "").trim())
    .find((value) => /^(https?:)?\/\//i.test(value))
  if (source) image.setAttribute("src", source.startsWith("//") ? `https:${source}` : source)
  else image.remove()
}

function keepAttributes(node) {
  const kept = KEPT_ATTRIBUTES[node.tagName] ?? []
  for (const name of node.getAttributeNames()) {
    if (!kept.includes(name)) node.removeAttribute(name)
  }
}

// No indent (WeChat's and Word's "　　"), no blank at either end of a block.
function trimBlock(block) {
  for (const [filter, pattern] of [[firstText, LEADING_BLANK], [lastText, TRAILING_BLANK]]) {
    for (let text = filter(block); text; text = filter(block)) {
      text.data = text.data.replace(pattern, "")
      if (text.data) break
      text.remove()
    }
  }
  for (const br of block.querySelectorAll("br")) {
    const next = br.nextSibling
    if (next?.nodeType === Node.TEXT_NODE) next.data = next.data.replace(LEADING_BLANK, "")
  }
  while (block.firstChild?.nodeName === "BR") block.firstChild.remove()
  while (block.lastChild?.nodeName === "BR") block.lastChild.remove()
}

function firstText(block) {
  const walker = block.ownerDocument.createTreeWalker(block, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT)
  while (walker.nextNode()) {
    const node = walker.currentNode
    if (node.nodeType === Node.TEXT_NODE) return node
    if (node.tagName === "IMG" || node.tagName === "BR") return null
  }
  return null
}

function lastText(block) {
  let node = block.lastChild
  while (node && node.nodeType === Node.ELEMENT_NODE && node.tagName !== "IMG" && node.tagName !== "BR") {
    node = node.lastChild
  }
  return node?.nodeType === Node.TEXT_NODE ? node : null
}

function unwrap(node) {
  node.replaceWith(...node.childNodes)
}

function rename(node, tag) {
  const renamed = node.ownerDocument.createElement(tag)
  renamed.append(...node.childNodes)
  node.replaceWith(renamed)
}

function wrap(node, tag) {
  const wrapper = node.ownerDocument.createElement(tag)
  wrapper.append(...node.childNodes)
  node.append(wrapper)
}

export const WordCount = Extension.create({
  name: "wordCount",

  addOptions() {
    return { label: "%(count)s" }
  },

  addStorage() {
    return { element: null }
  },

  onCreate() {
    const container = this.editor.view.dom.closest(".prose-editor")
    if (!container) return
    this.storage.element = Object.assign(document.createElement("p"), { className: "word-count" })
    this.storage.element.setAttribute("aria-live", "polite")
    container.after(this.storage.element)
    this.storage.show()
  },

  onUpdate() {
    this.storage.show?.()
  },

  onBeforeCreate() {
    this.storage.show = () => {
      const count = countWords(documentText(this.editor.state.doc))
      this.storage.element.textContent = this.options.label.replace("%(count)s", count)
      this.storage.element.dataset.count = count
    }
  },
})
