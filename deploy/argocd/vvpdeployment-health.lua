-- Argo CD health check for ververica.platform/v1 VvpDeployment (vvp-iac operator).
-- Reads the operator's status: the Healthy and Ready conditions, observedGeneration and actualState.
--   Degraded     Healthy=False for the current generation (invalid spec, VVP unreachable, name conflict, job
--                FAILED, deletion blocked, ...): the message is the condition's reason and message
--   Progressing  no status yet, the operator has not observed the current generation, or Ready=False while the
--                deployment moves towards its desired state
--   Suspended    Ready=True and VVP reports the deployment SUSPENDED (stopped with a savepoint, to be resumed)
--   Healthy      Ready=True otherwise (RUNNING, or CANCELLED as specified)
-- Only the base and table libraries are used (Argo CD opens no others for health scripts).
local hs = {}

local function condition(conditions, kind)
  if conditions == nil then
    return nil
  end
  for _, c in ipairs(conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end

local function describe(c)
  local text = c.reason or c.type
  if c.message ~= nil and c.message ~= "" then
    text = text .. ": " .. c.message
  end
  return text
end

local generation = obj.metadata and obj.metadata.generation
local status = obj.status
if status == nil or status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the vvp-operator to report status"
  return hs
end

-- A condition written for an older generation says nothing about the current spec.
local function current(c)
  return c.observedGeneration == nil or generation == nil or c.observedGeneration >= generation
end

local healthy = condition(status.conditions, "Healthy")
local ready = condition(status.conditions, "Ready")
if healthy ~= nil and healthy.status == "False" and current(healthy) then
  hs.status = "Degraded"
  hs.message = describe(healthy)
  return hs
end

if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the vvp-operator to process generation " .. tostring(generation)
  return hs
end

if ready == nil or not current(ready) then
  hs.status = "Progressing"
  hs.message = "Waiting for the Ready condition"
  return hs
end

if ready.status ~= "True" then
  hs.status = "Progressing"
  hs.message = describe(ready)
  return hs
end

local actual = status.actualState or "unknown"
if actual == "SUSPENDED" then
  hs.status = "Suspended"
  hs.message = "The deployment is SUSPENDED in Ververica Platform"
  return hs
end

hs.status = "Healthy"
hs.message = "The deployment is " .. actual .. " in Ververica Platform"
return hs
