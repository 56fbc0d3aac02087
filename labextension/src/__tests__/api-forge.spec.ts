/**
 * The client's forge calls (the link's Ask maintenance, opening a pull request) against a real HTTP
 * server on the loopback interface: the URL, method and body are observed on the wire.
 */
import { DslApiError } from '../api';
import { forgeName } from '../panel/ForgeActions';
import { Loopback } from './loopback';
import { LINK } from './samples';

const wire = new Loopback();

beforeAll(() => wire.start());
afterAll(() => wire.stop());
beforeEach(() => wire.reset());

describe('forge calls', () => {
  it('POSTs the issue number to links/{path}/prepare and returns the link to set', async () => {
    wire.answer('POST', 'links/work/my%20nb.ipynb/prepare', 200, {
      link: LINK,
      offline_as_of: null
    });
    const reply = await wire.api().prepareLink('work/my nb.ipynb', 2);
    expect(reply.link).toEqual(LINK);
    expect(wire.recorded[0].method).toBe('POST');
    expect(wire.recorded[0].path).toBe(
      '/base/jupyter-dsl/links/work/my%20nb.ipynb/prepare'
    );
    expect(JSON.parse(wire.recorded[0].body)).toEqual({ number: 2 });
  });

  it('refuses a number that is not an issue number before sending anything', async () => {
    await expect(wire.api().prepareLink('nb.ipynb', 0)).rejects.toBeInstanceOf(
      DslApiError
    );
    expect(wire.recorded).toEqual([]);
  });

  it("POSTs to pulls/{path} and passes the server's refusal on", async () => {
    wire.answer('POST', 'pulls/nb.ipynb', 400, {
      message: 'the local tracker has no pull requests; use a forge',
      hint: null
    });
    await expect(wire.api().openPull('nb.ipynb')).rejects.toMatchObject({
      status: 400,
      message: 'the local tracker has no pull requests; use a forge'
    });
    expect(wire.recorded[0].method).toBe('POST');
    expect(wire.recorded[0].path).toBe('/base/jupyter-dsl/pulls/nb.ipynb');
    expect(JSON.parse(wire.recorded[0].body)).toEqual({ draft: false });
  });

  it('names the forges and hides the local tracker', () => {
    expect(forgeName('github')).toBe('GitHub');
    expect(forgeName('gitlab')).toBe('GitLab');
    expect(forgeName('local')).toBeNull();
    expect(forgeName(null)).toBeNull();
  });
});
