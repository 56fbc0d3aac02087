/**
 * "New issue": a DSLP issue from its template (type, title, the Ask it belongs to, optional
 * section texts), created on the project's tracker and, when "Link this notebook to it" is
 * ticked (the default for every type but an Ask), linked to the active notebook.
 */
import React from 'react';

import {
  CreatedIssueReply,
  DslApiError,
  Issue,
  IssueType,
  IssueTypeInfo,
  NewIssueRequest,
  TemplateInfo,
  TemplatesReply
} from '../api';
import { asApiError } from '../fetched';
import { ErrorBox } from './common';

export interface INewIssueFormProps {
  path: string;
  templates: TemplatesReply | null;
  templatesError: DslApiError | null;
  listAsks: () => Promise<Issue[]>;
  /** Create the issue; `link`: link the active notebook to it. */
  onCreate: (
    request: Omit<NewIssueRequest, 'path'>,
    link: boolean
  ) => Promise<CreatedIssueReply>;
  /** Changes when a command asks for the form: it then takes the focus. */
  focusRequest: number;
}

/** The server's `variant` for a template key (`Data.Create` → `create`). */
export function variantOf(template: TemplateInfo): string | undefined {
  const dot = template.key.indexOf('.');
  return dot < 0 ? undefined : template.key.slice(dot + 1).toLowerCase();
}

/**
 * Whether a new issue of `type` is linked to the notebook unless the user says otherwise: the work
 * of a Data, Explore, Experiment or Model issue happens in a notebook; an Ask is the question its
 * other issues answer, usually made before them.
 */
export function linksByDefault(type: IssueType): boolean {
  return type !== 'Ask';
}

/** The sections a user filled in, keyed by heading (empty ones are left to the template). */
export function filledSections(texts: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [heading, text] of Object.entries(texts)) {
    if (text.trim()) {
      out[heading] = text;
    }
  }
  return out;
}

export function NewIssueForm(props: INewIssueFormProps): JSX.Element {
  const { templates, templatesError, listAsks, onCreate } = props;
  const types: IssueTypeInfo[] = templates?.types ?? [];
  const [type, setType] = React.useState<IssueType>('Explore');
  const [templateKey, setTemplateKey] = React.useState('');
  const [title, setTitle] = React.useState('');
  const [ask, setAsk] = React.useState('');
  const [asks, setAsks] = React.useState<Issue[]>([]);
  const [sections, setSections] = React.useState<Record<string, string>>({});
  const [error, setError] = React.useState<DslApiError | null>(null);
  const [busy, setBusy] = React.useState(false);
  const [link, setLink] = React.useState(linksByDefault('Explore'));
  const [created, setCreated] = React.useState<CreatedIssueReply | null>(null);
  const titleInput = React.useRef<HTMLInputElement>(null);

  const info = types.find(t => t.type === type) ?? types[0];
  const template =
    info?.templates.find(t => t.key === templateKey) ?? info?.templates[0];

  React.useEffect(() => {
    if (props.focusRequest > 0) {
      titleInput.current?.focus();
    }
  }, [props.focusRequest]);

  React.useEffect(() => {
    let current = true;
    if (info?.links_ask) {
      listAsks().then(
        list => current && setAsks(list),
        () => current && setAsks([])
      );
    }
    return () => {
      current = false;
    };
  }, [props.path, info?.links_ask, listAsks]);

  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    if (!info || !template) {
      return;
    }
    if (!title.trim()) {
      setError(new DslApiError(0, 'an issue needs a title'));
      return;
    }
    const request: Omit<NewIssueRequest, 'path'> = {
      type: info.type,
      title: title.trim()
    };
    if (info.links_ask && ask) {
      request.ask = Number(ask);
    }
    const variant = info.templates.length > 1 ? variantOf(template) : undefined;
    if (variant) {
      request.variant = variant;
    }
    const filled = filledSections(sections);
    if (Object.keys(filled).length > 0) {
      request.sections = filled;
    }
    setBusy(true);
    setError(null);
    setCreated(null);
    try {
      const reply = await onCreate(request, link);
      setTitle('');
      setSections({});
      setCreated(link ? null : reply); // linked: the section shows the issue instead of the form
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="jp-dsl-section" data-testid="dsl-new-issue">
      <h3>New issue</h3>
      <ErrorBox error={templatesError} context="Could not load the templates" />
      <form onSubmit={e => void submit(e)} className="jp-dsl-form">
        <label>
          Type
          <select
            className="jp-mod-styled"
            value={info?.type ?? ''}
            data-testid="dsl-new-type"
            onChange={e => {
              const next = types.find(t => t.type === e.target.value);
              if (next) {
                setType(next.type);
                setTemplateKey('');
                setSections({});
                setLink(linksByDefault(next.type));
              }
            }}
          >
            {types.map(t => (
              <option key={t.type} value={t.type} title={t.description}>
                {t.type}
              </option>
            ))}
          </select>
        </label>
        {info && info.templates.length > 1 ? (
          <label>
            Template
            <select
              className="jp-mod-styled"
              value={template?.key ?? ''}
              data-testid="dsl-new-template"
              onChange={e => {
                setTemplateKey(e.target.value);
                setSections({});
              }}
            >
              {info.templates.map(t => (
                <option key={t.key} value={t.key}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          Title
          <input
            ref={titleInput}
            className="jp-mod-styled"
            type="text"
            value={title}
            placeholder={template?.title_pattern || 'What this issue is about'}
            data-testid="dsl-new-title"
            onChange={e => setTitle(e.target.value)}
          />
        </label>
        {info?.links_ask ? (
          <label>
            Ask
            <select
              className="jp-mod-styled"
              value={ask}
              data-testid="dsl-new-ask"
              onChange={e => setAsk(e.target.value)}
            >
              <option value="">(none)</option>
              {asks.map(a => (
                <option key={a.number} value={String(a.number)}>
                  #{a.number} {a.title}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {template && template.sections.length > 0 ? (
          <details className="jp-dsl-sections">
            <summary>Sections (optional)</summary>
            {template.sections.map(heading => (
              <label key={heading}>
                {heading}
                <textarea
                  className="jp-mod-styled"
                  rows={2}
                  value={sections[heading] ?? ''}
                  data-testid={`dsl-new-section-${heading}`}
                  onChange={e =>
                    setSections({ ...sections, [heading]: e.target.value })
                  }
                />
              </label>
            ))}
          </details>
        ) : null}
        <label className="jp-dsl-check">
          <input
            type="checkbox"
            checked={link}
            data-testid="dsl-new-link"
            onChange={e => setLink(e.target.checked)}
          />{' '}
          Link this notebook to it
        </label>
        <button
          type="submit"
          className="jp-mod-styled jp-mod-accept"
          disabled={busy || !info}
          data-testid="dsl-new-submit"
        >
          {link ? 'Create and link' : 'Create'}
        </button>
      </form>
      {created !== null ? (
        <p className="jp-dsl-muted" role="status" data-testid="dsl-new-created">
          Created {created.issue.type ?? 'issue'} #{created.issue.number} “
          {created.issue.title}”; this notebook is not linked to it.
        </p>
      ) : null}
      <ErrorBox error={error} context="Could not create the issue" />
    </section>
  );
}
