/**
 * Response bodies as the cloud writes them: JSON by default, XML when `Format=XML`.
 * Successes never carry `Code` (pop-core would read it as an error); errors carry
 * RequestId, HostId, Code, Message and Recommend (rpc-protocol.md §7).
 */

export interface ErrorBody {
  RequestId: string;
  HostId: string;
  Code: string;
  Message: string;
  Recommend: string;
}

export function errorBody(requestId: string, hostId: string, code: string, message: string, product: string): ErrorBody {
  return {
    RequestId: requestId,
    HostId: hostId,
    Code: code,
    Message: message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=${product}&requestId=${requestId}`,
  };
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** Lists repeat the element named by their key: `{VSwitch:[a,b]}` → `<VSwitch>a</VSwitch><VSwitch>b</VSwitch>`. */
function toXml(name: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => toXml(name, v)).join('');
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => toXml(k, v))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function xmlDocument(root: string, body: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${toXml(root, body)}`;
}
