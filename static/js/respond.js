// Progressive enhancement of the questionnaire; every page also works without it.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("answers");
  if (!form) return;

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

  // Live progress: the server value plus what was answered on this page since it loaded.
  const bar = document.getElementById("progress-bar");
  const text = document.getElementById("progress-text");
  if (!bar || !text) return;
  const answeredAtLoad = new Set(
    [...form.querySelectorAll("input[data-item]:checked")].map((el) => el.dataset.item)
  );
  const base = Number(bar.value) - answeredAtLoad.size;
  form.addEventListener("change", () => {
    const now = new Set(
      [...form.querySelectorAll("input[data-item]:checked")].map((el) => el.dataset.item)
    );
    bar.value = base + now.size;
    text.textContent = text.dataset.template
      .replace("{a}", String(bar.value))
      .replace("{t}", String(bar.max));
  });
});
