import "@testing-library/jest-dom/vitest";

// Times are read in one zone, whatever the machine's: one with daylight saving, so that a
// test can meet the hour skipped in spring and the one repeated in autumn. Set before any
// test file's modules load (their formats take the zone as they are made).
process.env.TZ = "Europe/Berlin";

// jsdom has no modal dialogs: one opens and closes as its attribute.
HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) {
  this.setAttribute("open", "");
};
HTMLDialogElement.prototype.close = function (this: HTMLDialogElement) {
  this.removeAttribute("open");
};
