// Every page. A consequential button asks first: data-confirm="question" in the template instead of an inline
// onclick, which the Content-Security-Policy refuses.
document.addEventListener("click", function (event) {
  const control = event.target.closest("[data-confirm]");
  if (control && !window.confirm(control.dataset.confirm)) {
    event.preventDefault();
  }
});
