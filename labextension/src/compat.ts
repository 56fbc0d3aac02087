/**
 * Whether the server side answers, and with this labextension's version: the sidebar shows a clear
 * message instead of an empty panel when the jupyter_dsl server extension is missing or another version.
 */
import { DslApi, DslApiError, EXTENSION_VERSION } from './api';

export type ServerCheck =
  { ok: true; version: string } | { ok: false; message: string; hint: string };

export async function checkServer(api: DslApi): Promise<ServerCheck> {
  let version: string;
  try {
    version = (await api.version()).version;
  } catch (error) {
    const status = error instanceof DslApiError ? error.status : 0;
    if (status === 404) {
      return {
        ok: false,
        message:
          'The jupyter_dsl server extension is not enabled on this Jupyter server.',
        hint: 'Install jupyter-dsl in the environment that runs the server and enable it: `jupyter server extension enable jupyter_dsl`, then restart the server. `jupyter server extension list` tells what is enabled.'
      };
    }
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      message: `The jupyter_dsl server extension did not answer: ${reason}`,
      hint: 'Check that the Jupyter server is running, then reload the page.'
    };
  }
  if (version !== EXTENSION_VERSION) {
    return {
      ok: false,
      message: `The jupyter_dsl server extension is version ${version}; this Lifecycle sidebar is version ${EXTENSION_VERSION}.`,
      hint: 'Install the same jupyter-dsl version for the server and JupyterLab (`pip install -U jupyter-dsl` in the server environment), restart the server and reload the page.'
    };
  }
  return { ok: true, version };
}
