/**
 * What every renderer is, after DRF's `BaseRenderer`: a media type, a
 * `?format=` name and a function from data to a body.
 *
 * @module
 */

/** Per-request facts a renderer may use. */
export interface RenderOptions {
  /** Spaces to indent JSON by (from `Accept: application/json; indent=N`). */
  indent?: number;
  /** The request answered. */
  request?: Request;
  /** The response's status. */
  status?: number;
  /** The response's headers (`Allow`, `Vary`, the view's own), without `Content-Type`. */
  headers?: HeadersInit;
  /** The view that answers, when one does (not for a path no route matches). */
  view?: { readonly name: string; readonly description: string };
}

/** A way to render data: its media type, its `?format=` name, its function. */
export interface Renderer {
  /** The media type clients ask for in `Accept`. */
  readonly mediaType: string;
  /** The name clients use in `?format=`. */
  readonly format: string;
  /** The `Content-Type` of what it renders. */
  readonly contentType: string;
  /** Headers that every response it renders carries, if any. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Render data to a body; `null` or `undefined` renders nothing. */
  render(data: unknown, options?: RenderOptions): string;
}
