// The word check beside the article form: the list of 禁用, 慎用 and 错别字 found, kept up
// to date while the story is typed.
//
// The panel (#wordcheck, admin/articles/article/wordcheck_panel.html) names the check
// endpoint in data-url. Whenever the checked fields of #article_form change (引题, 标题, 副题,
// 摘要, the body's textarea, which the body editor keeps up to date, 组图 captions and 署名),
// they are posted there and the list is drawn again from the answer, each item from the
// panel's <template>. Choosing an item selects the word in its field (or shows the body).
// This file only reads the form: it never touches the editor's own set-up.
"use strict"
;(() => {
  const panel = document.getElementById("wordcheck")
  const form = document.getElementById("article_form")
  if (!panel || !form || !panel.dataset.url) return

  const list = panel.querySelector(".wordcheck__list")
  const summary = panel.querySelector(".wordcheck__summary")
  const source = panel.querySelector(".wordcheck__source")
  const item = document.getElementById("wordcheck-item")
  const countText = panel.querySelector(".wordcheck__count").dataset.template
  const noneText = panel.querySelector(".wordcheck__none").textContent
  const token = form.querySelector("input[name=csrfmiddlewaretoken]")
  const CHECKED = /^(kicker|title|subtitle|summary|body|byline_override|gallery_items-\d+-caption)$/
  const FIELDS = { kicker: "kicker", title: "title", subtitle: "subtitle", summary: "summary", byline: "byline_override" }

  function read() {
    const data = new FormData()
    for (const [name, value] of new FormData(form)) {
      if (CHECKED.test(name) && typeof value === "string") data.append(name, value)
    }
    return data
  }

  const key = (data) => JSON.stringify([...data])
  let last = key(read())
  let sending = false

  function draw(answer) {
    list.replaceChildren()
    for (const finding of answer.findings) {
      const row = item.content.firstElementChild.cloneNode(true)
      row.classList.add(`wordcheck__item--${finding.category}`)
      row.querySelector(".wordcheck__category").textContent = finding.category_label
      row.querySelector(".wordcheck__field").textContent = finding.label
      row.querySelector(".wordcheck__before").textContent = finding.before
      row.querySelector(".wordcheck__mark").textContent = finding.found
      row.querySelector(".wordcheck__after").textContent = finding.after
      const advice = row.querySelector(".wordcheck__advice")
      advice.textContent = finding.correction ? advice.dataset.template.replace("%s", finding.correction) : ""
      row.querySelector(".wordcheck__note").textContent = finding.note ? `（${finding.note}）` : ""
      row.tabIndex = 0
      row.addEventListener("click", () => show(finding))
      row.addEventListener("keydown", (event) => { if (event.key === "Enter") show(finding) })
      list.append(row)
    }
    const count = answer.findings.length
    summary.textContent = count ? countText.replace("%s", count) : noneText
    source.textContent = `（${panel.dataset.live}）`
    panel.classList.toggle("wordcheck--blocks", answer.blocks)
  }

  // Select the word in its own field; the body is the editor's, so it is only brought into view.
  function show(finding) {
    const input = FIELDS[finding.field] && form.elements[FIELDS[finding.field]]
    if (input && input.setSelectionRange) {
      input.focus()
      input.setSelectionRange(finding.start, finding.end)
      return
    }
    const row = form.querySelector(`.field-${finding.field === "captions" ? "gallery" : finding.field}`)
    ;(row || form).scrollIntoView({ block: "center" })
  }

  async function check(force) {
    const data = read()
    const now = key(data)
    if (sending || (!force && now === last)) return
    sending = true
    try {
      const response = await fetch(panel.dataset.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" },
        body: data,
      })
      if (!response.ok) throw new Error(String(response.status))
      draw(await response.json())
      last = now
    } catch {
      summary.textContent = panel.dataset.failed
    } finally {
      sending = false
    }
  }

  let timer = null
  const soon = () => { clearTimeout(timer); timer = setTimeout(() => check(false), 500) }
  form.addEventListener("input", soon)
  form.addEventListener("change", soon)
  // The body editor writes into its textarea without an input event on the form.
  setInterval(() => check(false), 2000)
})()
