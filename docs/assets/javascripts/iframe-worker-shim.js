/* iframe-worker 1.0.4, shim/index.js: bundled so that search works from the file system
   without fetching it from a CDN. Rewritten to run no inline script (the site's
   Content-Security-Policy allows none it does not know): the frame gets its postMessage,
   importScripts and error forwarding from here, and the worker's script by its address.

   Copyright (c) 2020-2022 Martin Donath <martin.donath@squidfunk.com>
   
   Permission is hereby granted, free of charge, to any person obtaining a copy
   of this software and associated documentation files (the "Software"), to
   deal in the Software without restriction, including without limitation the
   rights to use, copy, modify, merge, publish, distribute, sublicense, and/or
   sell copies of the Software, and to permit persons to whom the Software is
   furnished to do so, subject to the following conditions:
   
   The above copyright notice and this permission notice shall be included in
   all copies or substantial portions of the Software.
   
   THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
   IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
   FITNESS FOR A PARTICULAR PURPOSE AND NON-INFRINGEMENT. IN NO EVENT SHALL THE
   AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
   LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING
   FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS
   IN THE SOFTWARE.
*/
"use strict";(()=>{class o extends EventTarget{constructor(u){super();this.url=u;let f=document.createElement("iframe");f.hidden=!0,document.body.appendChild(this.iframe=f);let w=f.contentWindow,d=w.document;d.open(),d.write("<html><body></body></html>"),d.close();let m=e=>{this.dispatchEvent(e),this.onmessage&&this.onmessage(e)};w.postMessage=e=>m(new MessageEvent("message",{data:e})),w.importScripts=(...s)=>s.reduce((p,e)=>p.then(()=>new Promise(r=>{let t=d.createElement("script");t.src=e,t.onload=r,d.body.appendChild(t)})),Promise.resolve()),w.addEventListener("error",({message:e,lineno:r,colno:t,error:i})=>{let a=new ErrorEvent("error",{message:e,filename:u,lineno:r,colno:t,error:i});this.dispatchEvent(a),this.onerror&&this.onerror(a)}),this.r=new Promise((r,i)=>{let t=d.createElement("script");t.src=`${u}?${+Date.now()}`,t.onload=r,t.onerror=i,d.body.appendChild(t)})}terminate(){this.iframe.remove()}postMessage(e){this.r.catch(()=>{}).then(()=>{this.w.dispatchEvent(new MessageEvent("message",structuredClone({data:e})))})}get w(){return this.iframe.contentWindow}};window.IFrameWorker=o;location.protocol==="file:"&&(window.Worker=o);})();
