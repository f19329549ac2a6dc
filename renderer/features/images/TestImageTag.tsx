// The small muted mark on Crossdock's own test image, in the list and in the detail pane: the
// image is really there, so it is listed, but it should not puzzle anyone as one of theirs.
import { TEST_IMAGE_EXPLANATION, TEST_IMAGE_TAG } from '../../lib/test-image';

export function TestImageTag() {
  return (
    <span className="test-image-tag" title={TEST_IMAGE_EXPLANATION} data-testid="test-image-tag">
      {TEST_IMAGE_TAG}
    </span>
  );
}
