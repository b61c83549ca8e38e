// Applies the saved theme before the first paint (a file, not inline, so the CSP can forbid inline scripts).
try {
  var saved = localStorage.getItem('func.theme');
  var dark = saved ? saved === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  if (dark) document.documentElement.classList.add('dark');
} catch (e) {}
