/**
 * Colours chosen for contrast (WCAG 2.1 AA: 4.5:1 for text): the brand green at the shade used
 * for filled buttons and links keeps white text and body text readable.
 */
import { createTheme, type MantineColorsTuple } from '@mantine/core';

const brand: MantineColorsTuple = [
  '#e6f6f0',
  '#cdeadf',
  '#9dd5bf',
  '#69bf9d',
  '#40ad81',
  '#25a26f',
  '#139c66',
  '#0b6e4f',
  '#075c41',
  '#004a33',
];

export const theme = createTheme({
  primaryColor: 'brand',
  primaryShade: 7,
  colors: { brand },
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans CJK TC", "Noto Sans CJK SC", "Noto Sans", sans-serif',
  headings: { fontWeight: '700' },
  defaultRadius: 'md',
});
