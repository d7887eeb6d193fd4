// Vitest setup: jsdom lacks a few browser APIs the components touch.
if (!Element.prototype.scrollIntoView) {
  Element.prototype.scrollIntoView = function () {};
}
