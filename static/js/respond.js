// Progressive enhancement of the questionnaire; every page also works without it.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("answers");
  if (!form) return;
  const backupKey = "partenariat:" + window.location.pathname;
  const readBackup = () => {
    try { return JSON.parse(sessionStorage.getItem(backupKey) || "{}"); } catch (e) { return {}; }
  };
  const writeBackup = (values) => {
    try {
      if (Object.keys(values).length) sessionStorage.setItem(backupKey, JSON.stringify(values));
      else sessionStorage.removeItem(backupKey);
    } catch (e) { /* storage off: the server copy is all there is */ }
  };

  // Live progress: the server's count plus what was answered on this page since it loaded.
  const bar = document.getElementById("progress-bar");
  const text = document.getElementById("progress-text");
  const plural = new Intl.PluralRules(document.documentElement.lang || "fr");
  const checkedItems = () => new Set(
    [...form.querySelectorAll("input[data-item]:checked")].map((el) => el.dataset.item)
  );
  const base = bar ? Number(bar.value) - checkedItems().size : 0;
  const update = () => {
    if (!bar || !text) return;
    bar.value = base + checkedItems().size;
    const template = plural.select(bar.value) === "one" ? text.dataset.one : text.dataset.other;
    text.textContent = template.replace("{a}", String(bar.value)).replace("{t}", String(bar.max));
  };
  form.addEventListener("change", update);

  // A copy of the page's answers stays in this tab until the server confirms it saved them,
  // so that a failed save (server or network down) never loses what was clicked.
  form.addEventListener("submit", () => {
    const values = {};
    new FormData(form).forEach((value, name) => {
      if (name !== "csrf_token" && name !== "action") values[name] = value;
    });
    writeBackup(values);
  });

  // Each click is saved at once (POST …/answer), one request at a time per tab so that
  // answers arrive in the order given; a failed save is retried with a growing delay.
  const saveUrl = form.dataset.saveUrl;
  const csrfInput = form.querySelector("input[name=csrf_token]");
  const status = document.getElementById("save-status");
  const pending = new Map(); // item code -> value not yet acknowledged by the server
  let sending = false;
  let retryDelay = 0;
  let retryTimer = null;

  const cue = (code, state, message) => {
    const element = document.getElementById(code + "-cue");
    if (!element) return;
    element.hidden = false;
    element.className = "save-cue is-" + state;
    element.textContent = message;
  };
  const say = (message, trouble) => {
    if (!status) return;
    status.textContent = message;
    status.classList.toggle("is-pending", Boolean(trouble));
  };
  const failed = (message) => {
    pending.forEach((_value, code) => cue(code, "pending", form.dataset.pending));
    say(message, true);
    retryDelay = Math.min(retryDelay ? retryDelay * 2 : 1000, 30000);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(send, retryDelay);
  };

  async function send() {
    if (sending || !pending.size || !saveUrl) return;
    if (!navigator.onLine) { failed(form.dataset.offline); return; }
    sending = true;
    const [code, value] = pending.entries().next().value;
    let reply = null;
    let ok = false;
    try {
      const response = await fetch(saveUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfInput ? csrfInput.value : "" },
        body: JSON.stringify({ item: code, value: value }),
        credentials: "same-origin",
      });
      ok = response.ok;
      try { reply = await response.json(); } catch (e) { reply = null; }
      if (!ok && reply && reply.error && reply.retry === false) {
        // Refused for good (closed campaign, expired page…): retrying cannot help. The
        // answer stays in the tab's copy and on the page for the "Save" button.
        pending.delete(code);
        cue(code, "pending", form.dataset.failed);
        say(reply.error, true);
        sending = false;
        if (pending.size) send(); // the other clicks get their own answer
        return;
      }
    } catch (e) {
      ok = false; // network down: fetch itself failed
    }
    sending = false;
    if (!ok || !reply || !reply.saved) {
      failed(navigator.onLine ? form.dataset.pending : form.dataset.offline);
      return;
    }
    retryDelay = 0;
    if (pending.get(code) === value) {
      pending.delete(code);
      const backup = readBackup();
      if (backup[code] === value) { delete backup[code]; writeBackup(backup); }
      cue(code, "saved", form.dataset.saved);
    }
    if (pending.size) send();
    else say(form.dataset.allSaved, false);
  }

  const queue = (code, value) => {
    pending.set(code, value);
    const backup = readBackup();
    backup[code] = value;
    writeBackup(backup);
    if (retryDelay) {
      cue(code, "pending", form.dataset.pending); // the next retry takes it along
    } else {
      cue(code, "saving", form.dataset.saving);
      send();
    }
  };
  form.addEventListener("change", (event) => {
    const input = event.target;
    if (input.matches("input[type=radio][data-item]") && input.checked) queue(input.dataset.item, input.value);
  });
  window.addEventListener("online", () => { clearTimeout(retryTimer); retryDelay = 0; send(); });

  if (document.querySelector(".flash-success")) {
    writeBackup({});
  } else {
    // What the tab clicked but the server never acknowledged comes back, and is saved now.
    // Answers the server already holds are dropped from the copy.
    const saved = readBackup();
    const kept = {};
    const toSave = [];
    Object.entries(saved).forEach(([name, value]) => {
      const radios = [...form.querySelectorAll(`input[type=radio][name="${CSS.escape(name)}"]`)];
      const match = radios.find((r) => r.value === value);
      if (!match || match.checked) return;
      // An unacknowledged click is newer than the server's answer; other fields are only
      // filled when empty.
      if (!match.dataset.item && radios.some((r) => r.checked)) return;
      match.checked = true;
      kept[name] = value;
      if (match.dataset.item) toSave.push([match.dataset.item, value]);
    });
    writeBackup(kept);
    const notice = document.getElementById("restored-notice");
    if (Object.keys(kept).length && notice) notice.hidden = false;
    update();
    toSave.forEach(([code, value]) => queue(code, value));
  }

  // Switching language saves the page first, so nothing typed is lost, and comes back to
  // the question being read (the first one whose bottom is still on screen).
  document.querySelectorAll("a[data-switch-lang]").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const hidden = (name, value) => {
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = value;
        form.appendChild(input);
      };
      hidden("switch_lang", link.dataset.switchLang);
      const current = [...form.querySelectorAll("fieldset.item")].find((el) => el.getBoundingClientRect().bottom > 0);
      if (current && window.scrollY > 0) hidden("at", current.id.replace(/^item-/, ""));
      form.submit();
    });
  });
});
