/** The browsable API's stylesheet, inlined so the page needs no static route. */
export const BROWSABLE_CSS = `
body{font-family:system-ui,sans-serif;margin:0;color:#222;background:#f7f7f9}
.navbar{background:#2c2c2c;color:#eee;padding:.6rem 1rem;display:flex;justify-content:space-between}
.navbar a{color:#fff;text-decoration:none}.brand{font-weight:600}
.container{max-width:70rem;margin:0 auto;padding:1rem}
.breadcrumb{list-style:none;padding:0;display:flex;gap:.5rem}.breadcrumb li+li:before{content:"/ ";color:#999}
.formats{float:right;display:flex;gap:.3rem}.button,button{border:1px solid #ccc;background:#fff;padding:.3rem .7rem;border-radius:4px;color:#333;text-decoration:none;cursor:pointer}
pre{background:#fff;border:1px solid #ddd;padding:.8rem;overflow:auto;white-space:pre-wrap;word-break:break-word}
.response-info pre.headers{border-bottom:0;margin-bottom:0}.response-info pre.prettyprint{border-top:0;margin-top:0}
.pagination{display:flex;gap:1rem;margin:1rem 0}.disabled{color:#aaa}
.edit form{display:flex;flex-direction:column;gap:.5rem;margin-top:1rem}textarea{width:100%;font-family:monospace}
.danger{background:#c0392b;color:#fff;border-color:#a93226}
`;
