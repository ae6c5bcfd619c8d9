// The interactive ERD page: every diagram's SVG inline, pan (drag) and zoom (wheel, buttons),
// and a side panel with a table's columns, constraints and comment when it is clicked.
// Self-contained: inline CSS and JS, no network access.
#include <nlohmann/json.hpp>

#include "modeler/erd.h"
#include "core/escape.h"

namespace dbw::modeler {
namespace {

// The SVG without its XML prologue and DOCTYPE, ready to sit inside HTML.
std::string InlineSvg(const std::string& svg) {
  size_t start = svg.find("<svg");
  return start == std::string::npos ? svg : svg.substr(start);
}

nlohmann::json TableDetails(const model::Schema& schema, const model::Table& t) {
  nlohmann::json j;
  j["name"] = t.qualified();
  j["kind"] = t.kind;
  j["comment"] = t.comment.value_or("");
  j["columns"] = nlohmann::json::array();
  for (const auto& c : t.columns)
    j["columns"].push_back({{"name", c.name}, {"type", c.type}, {"not_null", c.not_null},
                            {"default", c.default_expr.value_or("")},
                            {"comment", c.comment.value_or("")}});
  j["constraints"] = nlohmann::json::array();
  for (const auto& c : t.constraints)
    j["constraints"].push_back({{"name", c.name}, {"definition", c.definition}});
  j["partitions"] = nlohmann::json::array();
  if (t.kind == "partitioned_table")
    for (const auto& p : schema.tables)
      if (p.parent == t.qualified()) j["partitions"].push_back(p.name + " " + p.partition_bound);
  return j;
}

constexpr const char* kStyle = R"CSS(
body{margin:0;font-family:Helvetica,Arial,sans-serif;display:flex;height:100vh;color:#222}
main{flex:1;overflow:auto}
section{border-bottom:1px solid #ddd}
h2{font-size:14px;margin:8px 12px}
.viewport{height:70vh;overflow:hidden;cursor:grab;background:#fafafa;position:relative}
.viewport svg{transform-origin:0 0}
.zoom{position:absolute;right:8px;top:8px;z-index:2}
.zoom button{width:28px;height:28px;margin-left:2px}
aside{width:380px;border-left:1px solid #ccc;overflow:auto;padding:12px;font-size:13px}
aside table{border-collapse:collapse;width:100%}
aside td,aside th{border:1px solid #ddd;padding:2px 4px;text-align:left;vertical-align:top}
g.node{cursor:pointer}
g.node.selected polygon{stroke:#d33;stroke-width:2}
)CSS";

constexpr const char* kScript = R"JS(
(function(){
  var tables = JSON.parse(document.getElementById('erd-tables').textContent);
  function esc(s){return String(s).replace(/[&<>"]/g,function(c){return {'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c];});}
  function show(name){
    var t = tables[name]; var p = document.getElementById('details');
    if(!t){p.innerHTML='<p>'+esc(name)+'</p>';return;}
    var h='<h3>'+esc(t.name)+'</h3><p>'+(t.comment?esc(t.comment):'<i>no comment</i>')+'</p>';
    h+='<table><tr><th>column</th><th>type</th><th>null</th><th>default</th></tr>';
    t.columns.forEach(function(c){h+='<tr><td title="'+esc(c.comment)+'">'+esc(c.name)+'</td><td>'+esc(c.type)+'</td><td>'+(c.not_null?'':'yes')+'</td><td>'+esc(c.default)+'</td></tr>';
      if(c.comment)h+='<tr><td colspan="4"><small>'+esc(c.comment)+'</small></td></tr>';});
    h+='</table><h4>constraints</h4><ul>';
    t.constraints.forEach(function(c){h+='<li><b>'+esc(c.name)+'</b>: '+esc(c.definition)+'</li>';});
    h+='</ul>';
    if(t.partitions.length){h+='<h4>partitions</h4><ul>';t.partitions.forEach(function(x){h+='<li>'+esc(x)+'</li>';});h+='</ul>';}
    p.innerHTML=h;
  }
  document.querySelectorAll('.viewport').forEach(function(vp){
    var svg=vp.querySelector('svg'); if(!svg)return;
    var s=1,x=0,y=0,drag=null;
    function apply(){svg.style.transform='translate('+x+'px,'+y+'px) scale('+s+')';}
    function zoom(f,cx,cy){x=cx-(cx-x)*f;y=cy-(cy-y)*f;s*=f;apply();}
    vp.addEventListener('wheel',function(e){e.preventDefault();var r=vp.getBoundingClientRect();zoom(e.deltaY<0?1.15:1/1.15,e.clientX-r.left,e.clientY-r.top);},{passive:false});
    vp.addEventListener('mousedown',function(e){drag={x:e.clientX-x,y:e.clientY-y,moved:false};vp.style.cursor='grabbing';});
    window.addEventListener('mousemove',function(e){if(!drag)return;drag.moved=true;x=e.clientX-drag.x;y=e.clientY-drag.y;apply();});
    window.addEventListener('mouseup',function(){drag=null;vp.style.cursor='grab';});
    vp.querySelector('.in').onclick=function(){zoom(1.25,0,0);};
    vp.querySelector('.out').onclick=function(){zoom(0.8,0,0);};
    vp.querySelector('.reset').onclick=function(){s=1;x=0;y=0;apply();};
    vp.querySelectorAll('g.node').forEach(function(g){
      g.addEventListener('click',function(){
        document.querySelectorAll('g.node.selected').forEach(function(o){o.classList.remove('selected');});
        g.classList.add('selected');
        var title=g.querySelector('title'); show(title?title.textContent:'');
      });
    });
  });
})();
)JS";

}  // namespace

std::string RenderHtml(const model::Schema& schema, const std::vector<Diagram>& diagrams,
                       const std::vector<std::string>& svgs) {
  nlohmann::json details = nlohmann::json::object();
  for (const auto& d : diagrams)
    for (const auto* t : d.tables) details[t->qualified()] = TableDetails(schema, *t);
  std::string data = details.dump();
  // "</" would end the script element early.
  for (size_t pos = 0; (pos = data.find("</", pos)) != std::string::npos; pos += 3) data.replace(pos, 2, "<\\/");
  std::string title = "ERD of " + (schema.database.empty() ? std::string("schema") : schema.database);
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>";
  out.append(EscapeMarkup(title)).append("</title><style>").append(kStyle).append("</style></head><body><main>");
  for (size_t i = 0; i < diagrams.size() && i < svgs.size(); ++i) {
    out += "<section><h2>" + EscapeMarkup(diagrams[i].title) + " (" + std::to_string(diagrams[i].tables.size()) +
           " tables)</h2><div class=\"viewport\"><div class=\"zoom\"><button class=\"in\" title=\"zoom in\">+</button>"
           "<button class=\"out\" title=\"zoom out\">&minus;</button><button class=\"reset\" title=\"reset\">&#8634;</button></div>" +
           InlineSvg(svgs[i]) + "</div></section>";
  }
  out += "</main><aside id=\"details\"><p>Click a table to see its columns, constraints and comment. "
         "Drag to pan, wheel to zoom.</p></aside>";
  out += "<script type=\"application/json\" id=\"erd-tables\">" + data + "</script>";
  out.append("<script>").append(kScript).append("</script></body></html>\n");
  return out;
}

}  // namespace dbw::modeler
