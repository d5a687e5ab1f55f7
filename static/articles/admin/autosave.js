// Nothing lost on the article form: autosave to the server, and a warning before leaving.
//
// Every data-seconds, when a field loses focus and when the tab is hidden, the form's own
// fields are posted as JSON to the autosave endpoint (articles/admin/autosave.py) if they
// changed since the last autosave. The body editor (django-prose-editor) writes its HTML
// into the body's textarea on every change, so reading the form reads the body too.
// Leaving the page with changes not saved to the article asks first; submitting the form
// (保存, or a workflow button, which saves first) does not. Messages come from the page.
"use strict"
;(() => {
  const status = document.getElementById("article-autosave")
  const form = status && status.closest("form")
  if (!form) return

  const token = form.querySelector("input[name=csrfmiddlewaretoken]").value
  const seconds = Number(status.dataset.seconds) || 30
  let paused = status.hasAttribute("data-paused") // an older autosave awaits a decision
  let submitting = false
  let sending = false

  // name -> values, as the form would post them; content only: no inline rows, no tokens.
  function read(contentOnly) {
    const fields = {}
    for (const [name, value] of new FormData(form)) {
      if (typeof value !== "string" || name === "csrfmiddlewaretoken" || name.startsWith("_")) continue
      if (contentOnly && (name.includes("-") || name === "edit_version")) continue
      if (!fields[name]) fields[name] = []
      fields[name].push(value)
    }
    return JSON.stringify(fields)
  }

  const opened = read(false)
  const unsaved = status.hasAttribute("data-unsaved")
  let lastSent = unsaved ? null : read(true)
  const changed = () => unsaved || read(false) !== opened

  async function autosave() {
    if (paused || submitting || sending) return
    const fields = read(true)
    if (fields === lastSent) return
    const version = form.querySelector("input[name=edit_version]")
    const body = `{"fields":${fields},"edit_version":${version && version.value ? Number(version.value) : null}}`
    sending = true
    try {
      const response = await fetch(status.dataset.url, {
        method: "POST",
        credentials: "same-origin",
        // keepalive lets an autosave started as the tab closes finish (up to 64 KB).
        keepalive: body.length < 60000,
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body,
      })
      const answer = await response.json().catch(() => ({}))
      if (response.ok) lastSent = fields
      status.textContent = answer.message || answer.error || status.dataset.failed
      status.classList.toggle("errornote", !response.ok)
    } catch {
      status.textContent = status.dataset.failed
      status.classList.add("errornote")
    } finally {
      sending = false
    }
  }

  setInterval(autosave, seconds * 1000)
  form.addEventListener("focusout", () => setTimeout(autosave, 0))
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") autosave()
  })
  form.addEventListener("submit", () => {
    submitting = true
  })
  window.addEventListener("beforeunload", (event) => {
    if (submitting || !changed()) return
    event.preventDefault()
    event.returnValue = ""
  })
})()
