// Suggestions as you type in the search page's keyword box: words of the index that start
// with what was typed (characters or pinyin), from /search/suggest/, shown through the
// box's <datalist>. Asked at most once per pause in typing; without this script the list
// stays empty and the form works as before.
(() => {
  const input = document.querySelector("input[data-suggest]");
  const list = input && document.getElementById(input.getAttribute("list"));
  if (!list) return;
  const PAUSE_MS = 250;
  let timer;
  let asked = "";

  async function suggest() {
    const typed = input.value.trim();
    if (!typed || typed === asked) return;
    asked = typed;
    try {
      const url = `${input.dataset.suggest}?q=${encodeURIComponent(typed)}`;
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok || input.value.trim() !== typed) return;
      const { suggestions } = await response.json();
      list.replaceChildren(
        ...suggestions.map((word) => {
          const option = document.createElement("option");
          option.value = word;
          return option;
        }),
      );
    } catch {
      // Offline or refused: the reader simply sees no suggestions.
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, PAUSE_MS);
  });
})();
