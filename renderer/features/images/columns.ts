// The image list's columns, in order. Their widths live in styles.css (--image-columns) so the
// header and every row line up and nothing moves while rows arrive.
import type { SortColumn } from '../../lib/image-rows';

export interface ColumnSpec {
  column: SortColumn;
  label: string;
  numeric?: boolean;
}

export const imageColumns: ColumnSpec[] = [
  { column: 'engine', label: 'Engine' },
  { column: 'repository', label: 'Repository' },
  { column: 'tag', label: 'Tag' },
  { column: 'id', label: 'Image ID' },
  { column: 'size', label: 'Size', numeric: true },
  { column: 'created', label: 'Created' },
];

/** Fixed row height: the virtualiser never measures, so scrolling 10,000 rows stays smooth. */
export const ROW_HEIGHT = 32;
