// Waiting for the repository page's tag groups as a person sees them. The groups sit in a
// Suspense boundary that React streams after the page's shell: for a moment after `load` its
// content is in the document but still hidden (`<div hidden id="S:0">`), where "resolved N of M"
// is not visible either. So "the progress line is gone" alone can pass before the view is shown
// (two CI runs read no rows, or Tabbed from a filter box that could not take focus); the tags
// section must be on screen first.
import { expect, type Page } from '@playwright/test';

/** Resolves once the tags section is on screen and its stream has finished. */
export async function viewFinished(page: Page): Promise<void> {
  await expect(page.locator('section[aria-labelledby="tags-heading"]')).toBeVisible();
  await expect(page.getByText(/^resolved \d/)).toBeHidden();
}
