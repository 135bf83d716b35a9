// Progressive enhancement of the questionnaire; every page also works without it.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("answers");
  if (!form) return;
  const backupKey = "partenariat:" + window.location.pathname;

  // Live progress: the server's count plus what was answered on this page since it loaded.
  const bar = document.getElementById("progress-bar");
  const text = document.getElementById("progress-text");
  const checkedItems = () => new Set(
    [...form.querySelectorAll("input[data-item]:checked")].map((el) => el.dataset.item)
  );
  const base = bar ? Number(bar.value) - checkedItems().size : 0;
  const update = () => {
    if (!bar || !text) return;
    bar.value = base + checkedItems().size;
    text.textContent = text.dataset.template
      .replace("{a}", String(bar.value))
      .replace("{t}", String(bar.max));
  };
  form.addEventListener("change", update);

  // A copy of the page's answers stays in this tab until the server confirms it saved them,
  // so that a failed save (server or network down) never loses what was clicked.
  form.addEventListener("submit", () => {
    const values = {};
    new FormData(form).forEach((value, name) => {
      if (name !== "csrf_token" && name !== "action") values[name] = value;
    });
    try { sessionStorage.setItem(backupKey, JSON.stringify(values)); } catch (e) { /* storage off */ }
  });
  if (document.querySelector(".flash-success")) {
    sessionStorage.removeItem(backupKey);
  } else {
    const saved = sessionStorage.getItem(backupKey);
    if (saved) {
      let restored = 0;
      Object.entries(JSON.parse(saved)).forEach(([name, value]) => {
        const radios = form.querySelectorAll(`input[type=radio][name="${CSS.escape(name)}"]`);
        if (radios.length && ![...radios].some((r) => r.checked)) {
          const match = [...radios].find((r) => r.value === value);
          if (match) { match.checked = true; restored += 1; }
        }
      });
      const notice = document.getElementById("restored-notice");
      if (restored && notice) notice.hidden = false;
      update();
    }
  }

  // Switching language saves the page first, so nothing typed is lost.
  document.querySelectorAll("a[data-switch-lang]").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = "switch_lang";
      input.value = link.dataset.switchLang;
      form.appendChild(input);
      form.submit();
    });
  });
});
