const KEY = 'syncwire-dashboard-theme';

export type ThemeChoice = 'auto' | 'light' | 'dark';

const NEXT: Record<ThemeChoice, ThemeChoice> = { auto: 'light', light: 'dark', dark: 'auto' };
const LABEL: Record<ThemeChoice, string> = {
  auto: 'Theme: auto',
  light: 'Theme: light',
  dark: 'Theme: dark',
};

function stored(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'auto';
  } catch {
    return 'auto';
  }
}

function apply(choice: ThemeChoice): void {
  if (choice === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
}

/** The effective theme after the toggle and prefers-color-scheme. */
export function effectiveTheme(): 'light' | 'dark' {
  const forced = document.documentElement.dataset.theme;
  if (forced === 'light' || forced === 'dark') return forced;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/**
 * A button cycling auto → light → dark (remembered in localStorage); `onChange` runs whenever the effective
 * theme changes, from the button or from the system setting, so canvases can be redrawn in the new colours.
 */
export function themeToggle(onChange: () => void): HTMLButtonElement {
  let choice = stored();
  apply(choice);
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'theme-toggle';
  const label = () => {
    button.textContent = LABEL[choice];
    button.setAttribute('aria-label', `${LABEL[choice]} (click to change)`);
  };
  label();
  button.addEventListener('click', () => {
    choice = NEXT[choice];
    try {
      if (choice === 'auto') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, choice);
    } catch {
      // storage may be disabled (file://, private mode): the choice still holds for this page view
    }
    apply(choice);
    label();
    onChange();
  });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    if (choice === 'auto') onChange();
  });
  return button;
}
