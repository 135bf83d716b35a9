// Once the answers are sent, nothing of them stays in this tab: drop the copies the
// questionnaire kept while saving (keys "partenariat:<page>").
(() => {
  try {
    Object.keys(sessionStorage).filter((key) => key.startsWith("partenariat:")).forEach((key) => sessionStorage.removeItem(key));
  } catch (e) { /* storage off: nothing was kept */ }
})();
