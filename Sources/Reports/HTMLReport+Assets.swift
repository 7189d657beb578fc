/// The page's only style sheet and script, inline so the file works offline.
/// The script is plain ES5: it reads the JSON in `#hearth-data`, draws each
/// chart on its `<canvas>` (lines with distinct dash patterns, not just
/// colours; heatmaps by intensity), and then sets `data-charts-ready`.
extension HTMLReport {
    static let stylesheet = """
    body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:960px;padding:1em;color:#1b1b1b;background:#fff}
    h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}
    .verdict{font-size:1.25em;font-weight:700;padding:.4em .6em;border-radius:4px;display:inline-block}
    .verdict.passed{background:#e3f5e1;color:#11501a}.verdict.failed{background:#fde2e1;color:#8a1010}.verdict.ungated{background:#eee}
    .meta{color:#555;font-size:.9em}.note{color:#555;font-size:.9em}
    .pass{color:#11501a;font-weight:700}.fail{color:#8a1010;font-weight:700}
    table{border-collapse:collapse;margin:.6em 0;font-size:.92em}caption{text-align:left;font-style:italic;color:#444;padding:.2em 0}
    th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left}td{font-variant-numeric:tabular-nums}
    figure{margin:1em 0}canvas{max-width:100%;height:auto;border:1px solid #e4e4e4}
    figcaption{font-size:.9em;color:#333}pre{background:#f6f6f6;padding:.6em;overflow:auto;font-size:.85em}
    """

    static let chartScript = """
    (function(){
    var data=JSON.parse(document.getElementById('hearth-data').textContent);
    var colors=['#1f77b4','#d62728','#2ca02c','#9467bd','#ff7f0e','#8c564b'];
    var dashes=[[],[6,3],[2,2],[8,3,2,3],[1,3],[10,4]];
    var drawn=0;
    function fmt(v){var a=Math.abs(v);if(a>=1e6)return (v/1e6).toFixed(1)+'M';if(a>=1e4)return (v/1e3).toFixed(0)+'k';if(a>=100)return v.toFixed(0);if(a>=1)return v.toFixed(1);return v.toPrecision(2);}
    function nice(max){if(!(max>0))return 1;var p=Math.pow(10,Math.floor(Math.log(max)/Math.LN10));var m=max/p;return (m<=1?1:m<=2?2:m<=5?5:10)*p;}
    function frame(ctx,c,W,H,box,ymax){
      ctx.fillStyle='#fff';ctx.fillRect(0,0,W,H);ctx.strokeStyle='#888';ctx.lineWidth=1;ctx.setLineDash([]);
      ctx.beginPath();ctx.moveTo(box.l,box.t);ctx.lineTo(box.l,box.b);ctx.lineTo(box.r,box.b);ctx.stroke();
      ctx.fillStyle='#333';ctx.font='11px sans-serif';ctx.textAlign='right';
      for(var i=0;i<=4;i++){var v=ymax*i/4;var y=box.b-(box.b-box.t)*i/4;ctx.fillText(fmt(v),box.l-4,y+4);
        ctx.strokeStyle='#eee';ctx.beginPath();ctx.moveTo(box.l+1,y);ctx.lineTo(box.r,y);ctx.stroke();}
      var x0=c.x[0],x1=c.x[c.x.length-1];ctx.textAlign='center';
      for(var k=0;k<=5;k++){var t=x0+(x1-x0)*k/5;ctx.fillText(fmt(t)+'s',box.l+(box.r-box.l)*k/5,box.b+14);}
      ctx.save();ctx.translate(12,(box.t+box.b)/2);ctx.rotate(-Math.PI/2);ctx.textAlign='center';ctx.fillText(c.yLabel,0,0);ctx.restore();
    }
    function lines(ctx,c,W,H){
      var box={l:58,r:W-10,t:22,b:H-28};var ymax=0;
      c.series.forEach(function(s){s.values.forEach(function(v){if(v>ymax)ymax=v;});});
      if(c.limit&&c.limit.value>ymax)ymax=c.limit.value;ymax=nice(ymax*1.05);
      frame(ctx,c,W,H,box,ymax);
      var x0=c.x[0],x1=c.x[c.x.length-1],span=(x1-x0)||1;
      function px(t){return box.l+(box.r-box.l)*(t-x0)/span;}function py(v){return box.b-(box.b-box.t)*v/ymax;}
      if(c.limit){ctx.strokeStyle='#555';ctx.setLineDash([4,4]);ctx.beginPath();ctx.moveTo(box.l,py(c.limit.value));ctx.lineTo(box.r,py(c.limit.value));ctx.stroke();
        ctx.setLineDash([]);ctx.fillStyle='#555';ctx.textAlign='right';ctx.fillText(c.limit.name+' '+fmt(c.limit.value),box.r-2,py(c.limit.value)-4);}
      var lx=box.l+6;
      c.series.forEach(function(s,i){
        ctx.strokeStyle=colors[i%colors.length];ctx.lineWidth=1.6;ctx.setLineDash(dashes[i%dashes.length]);ctx.beginPath();
        s.values.forEach(function(v,j){var X=px(c.x[j]),Y=py(v);if(j===0)ctx.moveTo(X,Y);else ctx.lineTo(X,Y);});
        if(s.values.length===1){ctx.arc(px(c.x[0]),py(s.values[0]),2,0,2*Math.PI);}
        ctx.stroke();
        ctx.beginPath();ctx.moveTo(lx,12);ctx.lineTo(lx+22,12);ctx.stroke();ctx.setLineDash([]);
        ctx.fillStyle='#222';ctx.textAlign='left';ctx.fillText(s.name,lx+26,16);lx+=36+ctx.measureText(s.name).width;
      });
    }
    function heatmap(ctx,c,W,H){
      var box={l:58,r:W-10,t:22,b:H-28};var top=c.buckets[c.buckets.length-1]||1;var max=0;
      c.cells.forEach(function(row){row.forEach(function(v){if(v>max)max=v;});});
      frame(ctx,c,W,H,box,top);
      var n=c.x.length,w=(box.r-box.l)/Math.max(1,n),h=(box.b-box.t)/c.buckets.length;
      c.cells.forEach(function(row,i){row.forEach(function(v,j){if(!(v>0))return;
        ctx.fillStyle='rgba(31,119,180,'+(0.12+0.88*v/max).toFixed(3)+')';
        ctx.fillRect(box.l+i*w,box.b-(j+1)*h,Math.max(1,w-0.5),Math.max(1,h-0.5));});});
      ctx.fillStyle='#222';ctx.textAlign='left';ctx.fillText('darker = more keys (max '+fmt(max)+' in one cell)',box.l+6,14);
    }
    data.charts.forEach(function(c){
      var canvas=document.getElementById('chart-'+c.id);if(!canvas||!canvas.getContext||!c.x.length)return;
      var ctx=canvas.getContext('2d');if(!ctx)return;
      if(c.kind==='heatmap')heatmap(ctx,c,canvas.width,canvas.height);else lines(ctx,c,canvas.width,canvas.height);
      drawn++;
    });
    document.body.setAttribute('data-charts-ready',String(drawn));
    })();
    """
}
