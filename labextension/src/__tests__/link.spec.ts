import {
  actionText,
  contrastColor,
  cssColor,
  parseLink,
  parseLinkAction,
  statusText,
  validateLink
} from '../link';
import { LINK } from './samples';

describe('parseLink', () => {
  it('reads an absent key as not linked', () => {
    expect(parseLink(undefined)).toEqual({ kind: 'none' });
    expect(parseLink(null)).toEqual({ kind: 'none' });
  });

  it('reads a link written by the core unchanged', () => {
    expect(parseLink(LINK)).toEqual({ kind: 'linked', link: LINK });
  });

  it('keeps keys that later versions add, at both levels', () => {
    const future = { ...LINK, runs: 3, issue: { ...LINK.issue, milestone: 'Q3' } };
    const parsed = parseLink(future);
    expect(parsed).toEqual({ kind: 'linked', link: future });
  });

  it('fills optional fields the way the core reads them', () => {
    const parsed = parseLink({ issue: { tracker: 'github', number: 7 } });
    expect(parsed).toEqual({
      kind: 'linked',
      link: {
        issue: { tracker: 'github', number: 7, type: null, title: '', url: '' },
        ask: null,
        branch: '',
        status: 'active',
        completed_at: null
      }
    });
  });

  it.each([
    ['a string', 'not a link', /not an object/],
    ['no issue', { ask: 1 }, /"issue" is missing/],
    ['no tracker', { issue: { number: 2 } }, /"issue.tracker" is missing/],
    ['a text number', { issue: { tracker: 'local', number: '2' } }, /"issue.number"/],
    ['number zero', { issue: { tracker: 'local', number: 0 } }, /"issue.number"/],
    ['a fractional ask', { ...LINK, ask: 1.5 }, /"ask" is not an issue number/],
    [
      'an unknown type',
      { ...LINK, issue: { ...LINK.issue, type: 'Deploy' } },
      /not a DSLP type/
    ],
    ['an unknown status', { ...LINK, status: 'done' }, /"status"/],
    [
      'a numeric title',
      { ...LINK, issue: { ...LINK.issue, title: 5 } },
      /"issue.title"/
    ]
  ])('names what is wrong with %s', (_, value, reason) => {
    const parsed = parseLink(value);
    expect(parsed.kind).toBe('invalid');
    if (parsed.kind === 'invalid') {
      expect(parsed.reason).toMatch(/^metadata\.jupyter_dsl is not a valid link: /);
      expect(parsed.reason).toMatch(reason);
    }
  });

  it('validateLink throws on what parseLink calls invalid', () => {
    expect(() => validateLink([])).toThrow(/not an object/);
  });
});

describe('parseLinkAction', () => {
  it('reads a link action', () => {
    expect(parseLinkAction({ action: 'link', link: LINK })).toEqual({
      action: 'link',
      link: LINK
    });
  });

  it('reads an unlink action, whatever its link says', () => {
    expect(parseLinkAction({ action: 'unlink', link: null })).toEqual({
      action: 'unlink',
      link: null
    });
  });

  it.each([
    ['no action', { link: LINK }],
    ['an unknown action', { action: 'relink', link: LINK }],
    ['a link action without a valid link', { action: 'link', link: { issue: {} } }],
    ['a list', [{ action: 'unlink' }]],
    ['a string', 'link']
  ])('ignores %s', (_, value) => {
    expect(parseLinkAction(value)).toBeNull();
  });
});

describe('status and output texts', () => {
  it('shows "#N Type" for a typed link', () => {
    expect(statusText({ kind: 'linked', link: validateLink(LINK) })).toBe('#2 Explore');
  });

  it('shows "#N" for an untyped issue', () => {
    const link = validateLink({ ...LINK, issue: { ...LINK.issue, type: null } });
    expect(statusText({ kind: 'linked', link })).toBe('#2');
  });

  it('is empty when not linked and says when the link is invalid', () => {
    expect(statusText({ kind: 'none' })).toBe('');
    expect(statusText({ kind: 'invalid', reason: 'x' })).toBe('Link invalid');
  });

  it('describes link and unlink actions in one line', () => {
    expect(actionText({ action: 'link', link: validateLink(LINK) })).toBe(
      'Linked to #2 Explore: Churn by region'
    );
    expect(actionText({ action: 'unlink', link: null })).toBe(
      'Unlinked this notebook from its issue.'
    );
  });
});

describe('badge colors', () => {
  it('puts dark text on the light DSLP colors and light text on the dark ones', () => {
    expect(contrastColor('f0f29b')).toBe('#000000'); // Explore
    expect(contrastColor('c9ecff')).toBe('#000000'); // Ask
    expect(contrastColor('1c587c')).toBe('#ffffff'); // Data
    expect(contrastColor('#0b4e82')).toBe('#ffffff'); // Model
  });

  it('turns hex into CSS and refuses anything else', () => {
    expect(cssColor('8569c6')).toBe('#8569c6');
    expect(cssColor('#8569C6')).toBe('#8569C6');
    expect(cssColor('red; background: url(x)')).toBe('var(--jp-layout-color3)');
    expect(contrastColor('nonsense')).toBe('#000000');
  });
});
