/**
 * A table that scrolls sideways on a narrow screen. The scrolling region is a named, focusable
 * region, so a keyboard can scroll it too.
 */
import type { ReactNode } from 'react';
import { Table } from '@mantine/core';

export function ScrollTable(props: { minWidth: number; label: string; children: ReactNode }) {
  return (
    <Table.ScrollContainer
      minWidth={props.minWidth}
      type="native"
      tabIndex={0}
      role="region"
      aria-label={props.label}
      // Positioned, so that what is placed absolutely inside (a visually hidden label) scrolls
      // with the table instead of widening the page.
      style={{ position: 'relative' }}
    >
      {props.children}
    </Table.ScrollContainer>
  );
}
