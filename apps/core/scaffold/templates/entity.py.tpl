class ${entity}(Entity):
${body}
