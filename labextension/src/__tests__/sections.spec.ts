/**
 * Empty sections of an issue body are hidden before it is rendered; everything with content,
 * code blocks included, stays exactly as written.
 */
import { hideEmptySections } from '../sections';

/** The Explore template as `jupyter dsl new` writes it with only the Overview filled in. */
const EXPLORE = [
  '## Overview',
  '',
  '***Prompted by:*** #1',
  '',
  '***Related PR:***',
  '',
  'Why churn differs by region.',
  '',
  '## Goals',
  '',
  '<!-- The questions this exploration answers, as a - [ ] checklist. -->',
  '',
  '## What was discovered during this exploration?',
  '',
  '<!-- ### Insight N: a description and a link to the artifact that shows it. -->',
  '',
  '## Next Steps',
  '',
  '<!-- What should happen next, as issues where possible. -->',
  ''
].join('\n');

describe('hideEmptySections', () => {
  it('hides the template headings whose sections hold only comments', () => {
    expect(hideEmptySections(EXPLORE)).toBe(
      [
        '## Overview',
        '',
        '***Prompted by:*** #1',
        '',
        '***Related PR:***',
        '',
        'Why churn differs by region.',
        ''
      ].join('\n')
    );
  });

  it('keeps a parent whose sub-section has content and hides one whose sub-sections are all empty', () => {
    const body = [
      '## Problem Statement',
      '### Desired Outcome',
      'Fewer customers leave.',
      '### Current State',
      '<!-- How is this done today? -->',
      '## Success Criteria',
      '### Impact',
      '<!-- What changes? -->',
      '### Metrics',
      '',
      '# Appendix',
      'kept'
    ].join('\n');
    expect(hideEmptySections(body)).toBe(
      [
        '## Problem Statement',
        '### Desired Outcome',
        'Fewer customers leave.',
        '# Appendix',
        'kept'
      ].join('\n')
    );
  });

  it('treats placeholders as empty: bare reference lines, _No response_, empty checkboxes', () => {
    const body = [
      '## Overview',
      '***Prompted by:***',
      '**Related PR**:',
      '## Goals',
      '- [ ]',
      '-',
      '## Context',
      '_No response_',
      '## Kept',
      '**Important**',
      '## Also kept',
      '- [ ] churn rate per region'
    ].join('\n');
    expect(hideEmptySections(body)).toBe(
      ['## Kept', '**Important**', '## Also kept', '- [ ] churn rate per region'].join(
        '\n'
      )
    );
  });

  it('reads comments across lines and keeps text next to a comment', () => {
    const body = [
      '## Multi-line comment',
      '<!-- one',
      '## not a heading, inside the comment',
      'two -->',
      '## Text after a comment',
      '<!-- note --> real text',
      '## Text before an open comment',
      'real <!-- open',
      'still comment -->'
    ].join('\n');
    expect(hideEmptySections(body)).toBe(
      [
        '## Text after a comment',
        '<!-- note --> real text',
        '## Text before an open comment',
        'real <!-- open',
        'still comment -->'
      ].join('\n')
    );
  });

  it('keeps fenced code as content and does not read headings inside it', () => {
    const body = [
      '## Code',
      '```markdown',
      '## Not a heading',
      '<!-- not a comment -->',
      '```',
      '## Empty',
      '~~~~',
      '~~~~',
      '## After'
    ].join('\n');
    // a fence is content even when empty: what is left under "## After" is nothing
    expect(hideEmptySections(body)).toBe(
      [
        '## Code',
        '```markdown',
        '## Not a heading',
        '<!-- not a comment -->',
        '```',
        '## Empty',
        '~~~~',
        '~~~~'
      ].join('\n')
    );
  });

  it('leaves text before the first heading, and bodies without headings, alone', () => {
    expect(hideEmptySections('Intro\n\n## Empty\n<!-- x -->\n')).toBe('Intro\n');
    expect(hideEmptySections('just text <!-- c -->')).toBe('just text <!-- c -->');
    expect(hideEmptySections('')).toBe('');
    expect(hideEmptySections('#hashtag is not a heading\n')).toBe(
      '#hashtag is not a heading\n'
    );
  });
});
