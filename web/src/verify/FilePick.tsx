/**
 * A file chooser that looks like a button: the real file input stays in the tab order (hidden
 * from sight, not from the keyboard), and its label is the visible button.
 */
import { useId } from 'react';
import { Button } from '@mantine/core';

export function FilePick(props: {
  label: string;
  accept: string;
  onFile: (f: File) => void;
  testId: string;
  variant?: 'filled' | 'default' | 'light';
}) {
  const id = useId();
  return (
    <span className="file-pick">
      <input
        id={id}
        type="file"
        accept={props.accept}
        className="file-input"
        data-testid={props.testId}
        onChange={(e) => {
          const f = e.currentTarget.files?.[0];
          if (f) props.onFile(f);
          // Choosing the same file again reads it again.
          e.currentTarget.value = '';
        }}
      />
      <Button component="label" htmlFor={id} variant={props.variant ?? 'default'}>
        {props.label}
      </Button>
    </span>
  );
}
