/** Light/dark theme: follows the OS unless the user picks one; listeners redraw charts. */

export type ThemeChoice = 'auto' | 'light' | 'dark';
const KEY = 'kal.theme';

export function currentChoice(): ThemeChoice {
  const v = localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'auto';
}

export function applyTheme(choice: ThemeChoice): void {
  const dark = choice === 'dark' || (choice === 'auto' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  if (choice === 'auto') localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, choice);
}

export function watchTheme(onChange: () => void): void {
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    if (currentChoice() === 'auto') {
      applyTheme('auto');
      onChange();
    }
  });
}
