/**
 * A part of a page under its own heading: a `<section>` region named by its `<h2>`, so a screen
 * reader lists it by that name. `id` is the heading's id, which names the region.
 */
import type { ReactNode } from 'react';
import { Stack, Title } from '@mantine/core';

export function Section(props: {
  id: string;
  title: ReactNode;
  /** A smaller heading, for a section among cards or beside a form. */
  small?: boolean;
  children: ReactNode;
}) {
  return (
    <Stack component="section" aria-labelledby={props.id} gap="sm">
      <Title order={2} id={props.id} {...(props.small ? { size: 'h3' } : {})}>
        {props.title}
      </Title>
      {props.children}
    </Stack>
  );
}
