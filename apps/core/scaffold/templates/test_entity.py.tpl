class Test${entity}API(EntityAPITestCase):
    model = ${model}
