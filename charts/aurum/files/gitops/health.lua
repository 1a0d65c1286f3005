-- Argo CD health check for the aurum.dev kinds (TradingPlatform, NetworkPolicySpec, InvestorAccess).
-- It reads status the kstatus way, so Argo CD and Flux agree on what "healthy" means:
--   status.observedGeneration behind metadata.generation -> Progressing (the operator has not caught up)
--   Stalled=True                                          -> Degraded (stuck; needs a spec change)
--   spec.paused=true and Ready                            -> Suspended
--   Reconciling=True                                      -> Progressing
--   Ready=True                                            -> Healthy
--   anything else                                         -> Progressing
-- Generated into charts/aurum/files/ and docs/gitops/ by charts/generate.ts; edit this file, not the copies.
local hs = { status = "Progressing", message = "Waiting for the operator to report status" }
if obj.status == nil then
  return hs
end
local generation = obj.metadata and obj.metadata.generation
local observed = obj.status.observedGeneration
if generation ~= nil and (observed == nil or observed < generation) then
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
  return hs
end
local ready, stalled, reconciling = nil, nil, nil
if obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Ready" then
      ready = c
    elseif c.type == "Stalled" then
      stalled = c
    elseif c.type == "Reconciling" then
      reconciling = c
    end
  end
end
local function describe(c)
  local text = c.reason or c.type
  if c.message ~= nil and c.message ~= "" then
    text = text .. ": " .. c.message
  end
  return text
end
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(stalled)
  return hs
end
if obj.spec ~= nil and obj.spec.paused == true then
  hs.status = "Suspended"
  hs.message = "Paused: the runtime is stopped and its journal volume kept"
  return hs
end
if reconciling ~= nil and reconciling.status == "True" then
  hs.message = describe(reconciling)
  return hs
end
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = describe(ready)
  return hs
end
if ready ~= nil then
  hs.message = describe(ready)
end
return hs
