// The theme's search box is a dialog without a name; screen readers announce it as "Search".
document.querySelectorAll('[role="dialog"]:not([aria-label]):not([aria-labelledby])').forEach((dialog) => {
  dialog.setAttribute("aria-label", "Search");
});
